package org.semiseg.data.sets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the files of one kind (images or masks) of a folder dataset are named: literal text around one {@code {id}},
 * e.g. {@code {id}_rgb.png}, matched against a file's path below its folder ({@code '/'} separators, so an id may
 * hold subfolders). A pattern that ends in {@code .png}, {@code .jpg} or {@code .jpeg} names the extension (any case);
 * one without, such as the default {@code {id}}, accepts any image extension for images and {@code .png} for masks.
 *
 * @param text      the pattern as written
 * @param prefix    literal text before {@code {id}}
 * @param suffix    literal text after {@code {id}}, without the extension when {@code extension} is given
 * @param extension the extension the pattern names, lower case without the dot; null when any allowed one fits
 * @param masks     whether the pattern names masks (PNG only)
 */
record NamePattern(String text, String prefix, String suffix, String extension, boolean masks) {
    /** The placeholder. */
    static final String ID = "{id}";
    /** Extensions an image may have. */
    static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg");

    /** The default: the file's path without extension is its id. */
    static NamePattern plain(boolean masks) {
        return new NamePattern(ID, "", "", null, masks);
    }

    /**
     * Parses {@code text}.
     *
     * @return null and a message in {@code error[0]} when the text is not a pattern
     */
    static NamePattern parse(String text, boolean masks, String[] error) {
        int at = text.indexOf(ID);
        if (at < 0 || text.indexOf(ID, at + 1) >= 0) {
            error[0] = "must hold {id} exactly once (e.g. \"{id}_rgb.png\"), got '" + text + "'";
            return null;
        }
        String prefix = text.substring(0, at);
        String rest = text.substring(at + ID.length());
        if (prefix.contains("{") || prefix.contains("}") || rest.contains("{") || rest.contains("}")) {
            error[0] = "may hold no braces but those of {id}, got '" + text + "'";
            return null;
        }
        if (prefix.startsWith("/") || (prefix + "/" + rest).contains("../") || prefix.contains("\\") || rest.contains("\\")) {
            error[0] = "must name files below the folder ('/' separators, no '..'), got '" + text + "'";
            return null;
        }
        String extension = null;
        String lower = rest.toLowerCase(Locale.ROOT);
        for (String ext : IMAGE_EXTENSIONS) {
            if (lower.endsWith("." + ext)) {
                extension = ext;
                rest = rest.substring(0, rest.length() - ext.length() - 1);
            }
        }
        if (masks && extension != null && !extension.equals("png")) {
            error[0] = "names ." + extension + " files, but a mask must be a PNG (JPEG compression changes the label values)";
            return null;
        }
        return new NamePattern(text, prefix, rest, extension, masks);
    }

    /** Whether a file of this extension can be of this kind at all (before looking at its name). */
    boolean acceptsExtension(String path) {
        String ext = FileLists.extension(path);
        if (extension != null) {
            return ext.equals(extension);
        }
        return masks ? ext.equals("png") : IMAGE_EXTENSIONS.contains(ext);
    }

    /** The id of a file (its path below the folder), or null when its name does not fit the pattern. */
    String id(String relPath) {
        if (!acceptsExtension(relPath)) {
            return null;
        }
        String stem = FileLists.stripExtension(relPath);
        if (stem.length() <= prefix.length() + suffix.length() || !stem.startsWith(prefix) || !stem.endsWith(suffix)) {
            return null;
        }
        return stem.substring(prefix.length(), stem.length() - suffix.length());
    }

    /** The file name (below the folder) this pattern gives {@code id}; the default extension is .png when open. */
    String name(String id) {
        return prefix + id + suffix + "." + (extension != null ? extension : "png");
    }

    /** Every name (below the folder) a file of {@code id} may have, the most likely first. */
    List<String> names(String id) {
        if (extension != null) {
            return List.of(name(id));
        }
        List<String> out = new ArrayList<>();
        for (String ext : masks ? List.of("png") : IMAGE_EXTENSIONS) {
            out.add(prefix + id + suffix + "." + ext);
        }
        return out;
    }

    /** Literal characters: of two patterns that fit one file, the longer is the more specific. */
    int literalLength() {
        return prefix.length() + suffix.length() + (extension == null ? 0 : extension.length() + 1);
    }

    /** Whether this is the default {@code {id}} pattern (pairing by path without extension). */
    boolean plain() {
        return prefix.isEmpty() && suffix.isEmpty() && extension == null;
    }
}
