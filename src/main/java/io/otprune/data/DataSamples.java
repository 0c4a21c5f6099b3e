package io.otprune.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first training images of each class, as pixels (CHW bytes at the data set's shape), with what a reader needs
 * to recognise the set: what the window's data preview shows. Reading them decodes at most {@code perClass} images
 * a class even from a streamed folder.
 *
 * @param id          the data set's id or folder
 * @param summary     kind, classes, counts, shape and notes, in one line
 * @param classNames  the class names, by label
 * @param shape       the shape of every image
 * @param images      per class (by label), its first training images in index order
 * @param trainCounts per class, its training images
 */
public record DataSamples(String id, String summary, List<String> classNames, ImageShape shape,
        List<List<byte[]>> images, int[] trainCounts) {

    public static DataSamples of(Dataset d, int perClass) {
        LabelledImages train = d.trainImages();
        int classes = d.numClasses();
        List<List<byte[]>> images = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            images.add(new ArrayList<>());
        }
        int full = 0;
        for (int i = 0; i < train.count() && full < classes; i++) {
            List<byte[]> mine = images.get(train.label(i));
            if (mine.size() < perClass) {
                byte[] px = new byte[train.shape().bytes()];
                train.read(i, px, 0);
                mine.add(px);
                full += mine.size() == perClass ? 1 : 0;
            }
        }
        String summary = String.format(Locale.ROOT, "%s · %s · %d classes · %,d train / %,d test · %s%s", d.id(),
                d.kind().description(), classes, train.count(), d.testImages().count(), d.shape(),
                d.notes().isEmpty() ? "" : " · " + String.join("; ", d.notes()));
        return new DataSamples(d.id(), summary, d.classNames(), d.shape(),
                images.stream().map(List::copyOf).toList(), train.classCounts(classes));
    }
}
