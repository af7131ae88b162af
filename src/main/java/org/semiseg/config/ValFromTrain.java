package org.semiseg.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.io.IOException;

/**
 * {@code data.val_from_train}: validation images carved from the training split, for datasets that ship no
 * validation split. Which images are carved depends only on the seed and the files (not on {@code data.split_seed}
 * or {@code data.labeled}), so every labeled split of a grid is validated on the same images; none of them is ever
 * labeled or unlabeled.
 *
 * @param share share ("1/10", 0.1) or count ("30") of the training images with masks; null: nothing is carved
 * @param seed  draws the images
 */
public record ValFromTrain(@JsonDeserialize(using = ValFromTrain.Text.class) String share, long seed) {
    public ValFromTrain {
        if (share != null) {
            if (share.isBlank()) {
                share = null;
            } else if (share.trim().equals("all")) {
                throw ConfigException.key("data.val_from_train.share", "cannot be all: some training images must stay to train on");
            } else {
                LabeledShare.parse("data.val_from_train.share", share);
            }
        }
    }

    /** Whether images are carved. */
    public boolean enabled() {
        return share != null;
    }

    /** The share as parsed. */
    public LabeledShare parsedShare() {
        return LabeledShare.parse("data.val_from_train.share", share);
    }

    /** Reads a share written as a number (0.1, 30) or as text ("1/10"). */
    static final class Text extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken().isScalarValue()) {
                return p.getText();
            }
            throw ConfigException.key("data.val_from_train.share", "expected a share like 1/10 or 0.1, or a count like 30");
        }
    }
}
