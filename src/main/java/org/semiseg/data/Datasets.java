package org.semiseg.data;

import org.semiseg.config.Config;
import org.semiseg.config.DataConfig;
import org.semiseg.config.LabeledShare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Opens the datasets a config names and draws its labeled / unlabeled split. */
public final class Datasets {
    private Datasets() {
    }

    public static DataSplits open(Config config) {
        DataConfig data = config.data();
        DataConfig.DemoConfig demo = data.demo();
        SegDataset train = DemoScenes.split(demo.seed(), "train", demo.trainImages(), demo.size());
        SegDataset val = DemoScenes.split(demo.seed(), "val", demo.valImages(), demo.size());
        int labeledCount = LabeledShare.parse("data.labeled", data.labeled()).of(train.size());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(Seeds.mix(config.seed(), 0x5B117L)));
        List<Integer> labeled = new ArrayList<>(order.subList(0, labeledCount));
        List<Integer> unlabeled = new ArrayList<>(order.subList(labeledCount, order.size()));
        Collections.sort(labeled);
        Collections.sort(unlabeled);
        return new DataSplits(train, List.copyOf(labeled), List.copyOf(unlabeled), val);
    }

    /** Pixel count per class over the labeled images (for the class-balancing weights). */
    public static long[] classPixelCounts(DataSplits splits) {
        long[] counts = new long[splits.numClasses()];
        for (int index : splits.labeled()) {
            for (int v : splits.train().get(index).mask()) {
                if (v >= 0 && v < counts.length) {
                    counts[v]++;
                }
            }
        }
        return counts;
    }
}
