package io.otprune.data;

import java.util.List;
import java.util.SplittableRandom;

/** A classification data set: a training and a test split, class names, and where it was read from. */
public record Dataset(String id, String description, ImageSet train, ImageSet test, List<String> classNames) {

    public int numClasses() {
        return classNames.size();
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
        int[][] perClass = Subsets.indicesByClass(train, numClasses(), new SplittableRandom(seed));
        int[] counts = new int[numClasses()];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = (int) Math.round(perClass[c].length * fraction);
        }
        int[][] parts = Subsets.takeStratified(perClass, counts);
        return new ImageSet[] {train.select(parts[1]), train.select(parts[0])};
    }
}
