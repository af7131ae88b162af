package org.semiseg.data.sets;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.semiseg.data.Palette;

/**
 * The 19 Cityscapes training classes and the official label-id to train-id table of cityscapesScripts'
 * {@code labels.py}, shared by Cityscapes and GTA5 (whose labels use the Cityscapes ids).
 */
final class CityscapesLabels {
    static final List<String> CLASSES = List.of("road", "sidewalk", "building", "wall", "fence", "pole",
            "traffic light", "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus",
            "train", "motorcycle", "bicycle");
    /** Label id of each training class, in class order. */
    static final int[] LABEL_IDS = {7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33};
    /** Largest label id; larger raw values are outside the class set. */
    static final int MAX_LABEL_ID = 33;
    static final Palette PALETTE = Palette.of(new int[][] {
            {128, 64, 128}, {244, 35, 232}, {70, 70, 70}, {102, 102, 156}, {190, 153, 153}, {153, 153, 153},
            {250, 170, 30}, {220, 220, 0}, {107, 142, 35}, {152, 251, 152}, {70, 130, 180}, {220, 20, 60},
            {255, 0, 0}, {0, 0, 142}, {0, 0, 70}, {0, 60, 100}, {0, 80, 100}, {0, 0, 230}, {119, 11, 32}});
    static final ValueTable VALUES = table();

    private CityscapesLabels() {
    }

    private static ValueTable table() {
        Map<Integer, Integer> classOf = new HashMap<>();
        for (int c = 0; c < LABEL_IDS.length; c++) {
            classOf.put(LABEL_IDS[c], c);
        }
        Set<Integer> ignored = new HashSet<>();
        for (int id = 0; id <= MAX_LABEL_ID; id++) {
            if (!classOf.containsKey(id)) {
                ignored.add(id);
            }
        }
        return new ValueTable(classOf, ignored, "label ids ");
    }
}
