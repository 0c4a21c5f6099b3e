package io.otprune.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Counts of (true class, predicted class) over a data split: {@code counts[t][p]} test samples of class t were
 * predicted as p. The diagonal holds the correct predictions, so its sum over the total is the accuracy that
 * {@link Evaluation} reports; a row's diagonal share is that class's recall (how much of the class the model finds).
 */
public record ConfusionMatrix(int[][] counts) {
    public ConfusionMatrix {
        for (int[] row : counts) {
            if (row.length != counts.length) {
                throw new IllegalArgumentException("a confusion matrix is square: " + counts.length + " rows, a row of "
                        + row.length);
            }
        }
    }

    /** An empty matrix of {@code classes} classes. */
    public static ConfusionMatrix empty(int classes) {
        return new ConfusionMatrix(new int[classes][classes]);
    }

    /** Counts one batch: true labels against predicted labels. */
    public void add(int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " labels but " + predicted.length + " predictions");
        }
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
    }

    public int classes() {
        return counts.length;
    }

    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        long n = 0;
        for (int[] row : counts) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Samples on the diagonal (predicted as their true class). */
    public long correct() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) {
            n += counts[c][c];
        }
        return n;
    }

    public double accuracy() {
        long t = total();
        return t == 0 ? 0 : (double) correct() / t;
    }

    /** Samples of class {@code c} in the split. */
    public long support(int c) {
        long n = 0;
        for (int v : counts[c]) {
            n += v;
        }
        return n;
    }

    /** Share of class {@code c}'s samples predicted as c (NaN when the split has none of it). */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? Double.NaN : (double) counts[c][c] / s;
    }

    /** One class's recall before (this matrix) and after (another, of the same split). */
    public record RecallChange(int classIndex, double before, double after) {
        /** After minus before, in percentage points. */
        public double points() {
            return 100 * (after - before);
        }
    }

    /**
     * Per class, recall here (e.g. the dense model) and in {@code after} (the pruned model on the same test set),
     * the classes that lost most first: which classes pruning hurt.
     */
    public List<RecallChange> recallChanges(ConfusionMatrix after) {
        if (after.classes() != classes()) {
            throw new IllegalArgumentException(classes() + " classes here but " + after.classes() + " in the other");
        }
        List<RecallChange> out = new ArrayList<>();
        for (int c = 0; c < classes(); c++) {
            if (support(c) > 0) {
                out.add(new RecallChange(c, recall(c), after.recall(c)));
            }
        }
        out.sort(Comparator.comparingDouble(RecallChange::points).thenComparingInt(RecallChange::classIndex));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && Arrays.deepEquals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
