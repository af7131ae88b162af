package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

/**
 * Image-level labels of a folder dataset (issue 21, part 1): the CSV and the folder-per-class forms, and every
 * problem as one line naming the file (and line) and what is wrong.
 */
class TagFileTest {
    private static final List<String> CLASSES = List.of("background", "leaf", "spot");

    @TempDir
    Path root;

    private TagFile.Read csv(String text) {
        Fixtures.text(root.resolve("tags.csv"), text);
        return TagFile.read(root, "tags.csv", CLASSES);
    }

    @Test
    void csvLinesGiveTheImageAndItsClassesSorted() {
        TagFile.Read read = csv("""
                image,tags
                # a comment, then a blank line

                photos/a.jpg,spot;leaf
                "photos/b.jpg", "leaf"
                photos/c.jpg,
                """);
        assertEquals(List.of(), read.problems());
        assertEquals(List.of(
                new TagFile.Entry("photos/a.jpg", List.of(1, 2), "tags.csv line 4"),
                new TagFile.Entry("photos/b.jpg", List.of(1), "tags.csv line 5"),
                new TagFile.Entry("photos/c.jpg", List.of(), "tags.csv line 6")), read.entries());
    }

    @Test
    void csvProblemsNameTheLineAndWhatIsWrong() {
        TagFile.Read read = csv("""
                a.jpg,leaf;cat
                b.jpg leaf
                c.jpg,leaf
                c.jpg,spot
                """);
        assertEquals(List.of(
                "tags.csv line 1: class 'cat' is not in classes (background, leaf, spot)",
                "tags.csv line 2: expected 'image,class1;class2' (a comma after the image), got 'b.jpg leaf'",
                "tags.csv line 4: image c.jpg is listed again (first at tags.csv line 3)"),
                read.problems().stream().map(Problem::toString).toList());
        assertEquals(List.of(new TagFile.Entry("c.jpg", List.of(1), "tags.csv line 3")), read.entries());
    }

    @Test
    void aFolderPerClassTagsTheImagesItHolds() {
        Fixtures.text(root.resolve("tags/leaf/a.jpg"), "");
        Fixtures.text(root.resolve("tags/spot/a.jpg"), "");
        Fixtures.text(root.resolve("tags/leaf/sub/b.png"), "");
        Fixtures.text(root.resolve("tags/cat/c.jpg"), "");
        Fixtures.text(root.resolve("tags/loose.jpg"), "");
        TagFile.Read read = TagFile.read(root, "tags", CLASSES);
        assertEquals(List.of(
                new TagFile.Entry("a.jpg", List.of(1, 2), "tags/leaf/a.jpg"),
                new TagFile.Entry("sub/b.png", List.of(1), "tags/leaf/sub/b.png")),
                read.entries().stream().sorted(java.util.Comparator.comparing(TagFile.Entry::image)).toList());
        assertEquals(List.of(
                "tags/cat/c.jpg: folder 'cat' is not a class (classes: background, leaf, spot)",
                "tags/loose.jpg: is not in a class folder (tags folders hold one folder per class: tags/<class>/<image>)"),
                read.problems().stream().map(Problem::toString).sorted().toList());
    }

    /** Images are named by their path, their file name or their stem; a missing or ambiguous one is a problem. */
    @Test
    void resolvingFindsTheImagesAndNamesTheMissingAndAmbiguousOnes() {
        Fixtures.text(root.resolve("val/v.jpg"), "");
        List<String> images = List.of("train/a.jpg", "train/b.jpg", "field/b.jpg", "train/c.png");
        TagFile.Resolved r = TagFile.resolve(csv("""
                train/a.jpg,leaf
                c,spot
                b.jpg,leaf
                val/v.jpg,leaf
                nowhere.jpg,leaf
                c.png,leaf
                """), images, root);
        assertEquals(Map.of("train/a.jpg", List.of(1), "train/c.png", List.of(2)), r.tags());
        assertEquals(List.of(
                "tags.csv line 3: 'b.jpg' fits 2 images (train/b.jpg, field/b.jpg): give its path relative to the dataset root",
                "tags.csv line 5: image nowhere.jpg does not exist under " + root,
                "tags.csv line 6: tags image train/c.png again (first at tags.csv line 2)"),
                r.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void theSpecNamesATagSourceThatMustExist() {
        Fixtures.text(root.resolve("dataset.yaml"), "classes: [a, b]\nsplits: {train: {images: i}}\ntags: tags.csv\n");
        SemisegException e = assertThrows(SemisegException.class, () -> new FolderLayout(root));
        assertEquals("dataset spec " + root.resolve("dataset.yaml") + ": key 'tags' names tags.csv, which does not exist under "
                + root + " (a CSV file of 'image,class1;class2' lines, or a folder with one folder per class)", e.getMessage());
        Fixtures.text(root.resolve("tags.csv"), "x.jpg,a\n");
        assertEquals("tags.csv", new FolderLayout(root).tagSource());
        assertTrue(new CamVidLayout(root).tagSource() == null, "built-in layouts take tags from masks");
    }
}
