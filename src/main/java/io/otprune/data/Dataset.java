package io.otprune.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A classification data set: a training and a test split, class names, its kind, and where it was read from.
 *
 * <p>The splits are {@link LabelledImages}: in memory, or streamed from disk when the set is too large to hold
 * ({@link #trainImages()}, {@link #testImages()}; what training and evaluation read). {@link #train()} and
 * {@link #test()} give them in memory, reading a streamed split in full once, for the code that needs arrays.
 */
public final class Dataset {
    private final String id;
    private final String description;
    private final DataKind kind;
    private final LabelledImages trainImages;
    private final LabelledImages testImages;
    private final List<String> classNames;
    private final List<String> notes;
    private ImageSet train;
    private ImageSet test;

    public Dataset(String id, String description, DataKind kind, LabelledImages trainImages,
            LabelledImages testImages, List<String> classNames, List<String> notes) {
        if (!trainImages.shape().equals(testImages.shape())) {
            throw new IllegalArgumentException(id + ": training images are " + trainImages.shape()
                    + " but test images are " + testImages.shape());
        }
        this.id = id;
        this.description = description;
        this.kind = kind;
        this.trainImages = trainImages;
        this.testImages = testImages;
        this.classNames = List.copyOf(classNames);
        this.notes = List.copyOf(notes);
    }

    /** An IDX data set in memory. */
    public Dataset(String id, String description, ImageSet train, ImageSet test, List<String> classNames) {
        this(id, description, DataKind.IDX, train, test, classNames, List.of());
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public DataKind kind() {
        return kind;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** What loading did that a user should hear about (images left out, how the splits are read). */
    public List<String> notes() {
        return notes;
    }

    public ImageShape shape() {
        return trainImages.shape();
    }

    /** True when both splits are held in memory; false when batches are read from disk as training goes. */
    public boolean inMemory() {
        return trainImages.inMemory() && testImages.inMemory();
    }

    public LabelledImages trainImages() {
        return trainImages;
    }

    public LabelledImages testImages() {
        return testImages;
    }

    /** The training split in memory (a streamed split is read in full the first time). */
    public synchronized ImageSet train() {
        if (train == null) {
            train = trainImages.load();
        }
        return train;
    }

    /** The test split in memory (a streamed split is read in full the first time). */
    public synchronized ImageSet test() {
        if (test == null) {
            test = testImages.load();
        }
        return test;
    }

    /**
     * Refuses a data set whose classes do not match a model's, in one line.
     *
     * @throws DatasetException naming both counts
     */
    public void requireClasses(int modelClasses, String model) throws DatasetException {
        if (modelClasses != numClasses()) {
            throw new DatasetException("model " + model + " has " + modelClasses + " classes but data set " + id
                    + " has " + numClasses());
        }
    }

    /**
     * Splits a validation set off the training set: a stratified, seeded selection of {@code fraction} of each
     * class. The test set stays untouched.
     *
     * @return {train', validation}
     */
    public ImageSet[] splitValidation(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0,1), got " + fraction);
        }
        ImageSet all = train();
        int[][] perClass = Subsets.indicesByClass(all, numClasses(), new SplittableRandom(seed));
        int[] counts = new int[numClasses()];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = (int) Math.round(perClass[c].length * fraction);
        }
        int[][] parts = Subsets.takeStratified(perClass, counts);
        return new ImageSet[] {all.select(parts[1]), all.select(parts[0])};
    }

    @Override
    public String toString() {
        return "Dataset[" + id + ", " + kind.id() + ", " + trainImages.count() + "/" + testImages.count() + " of "
                + shape() + "]";
    }
}
