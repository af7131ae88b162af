package org.semiseg.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Stable, torch-style names for a block's parameters: "backbone.layer1.0.conv1.weight",
 * "backbone.bn1.running_mean", "aspp.branch1.bn.weight", "classifier.bias", ... Child names are the names given to
 * {@code addChildBlock} (DJL's two-digit position prefix removed); DJL's BatchNorm names gamma/beta/runningMean/
 * runningVar become weight/bias/running_mean/running_var. Under "backbone." the names equal torchvision's ResNet
 * state_dict keys (without fc and num_batches_tracked).
 */
public final class ParameterNames {

    private ParameterNames() {}

    /** All parameters of the block in depth-first order, BN running statistics included. */
    public static LinkedHashMap<String, Parameter> of(Block block) {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, LinkedHashMap<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + torchName(p.getKey()), p.getValue());
        }
        int position = 1;
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), prefix + childName(child.getKey(), position++) + ".", out);
        }
    }

    private static String childName(String raw, int position) {
        String number = String.format(Locale.ROOT, "%02d", position);
        return raw.startsWith(number) && raw.length() > number.length() ? raw.substring(number.length()) : raw;
    }

    private static String torchName(String djlName) {
        return switch (djlName) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djlName;
        };
    }
}
