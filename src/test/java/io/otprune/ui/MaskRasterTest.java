package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskRasterTest {
    @Test
    void aDenseLayerReadingTheImageIsDrawnAsItsPixelsWithTheMeanMaskOverOutputs() {
        // 2 outputs x (3x4 image): output 0 keeps everything, output 1 keeps only pixel 5
        float[] v = new float[24];
        for (int i = 0; i < 12; i++) {
            v[i] = 1f;
        }
        v[12 + 5] = 1f;
        MaskRaster r = MaskRaster.of(new long[] {2, 12}, v, 3, 4);
        assertThat(r.layout()).isEqualTo(MaskRaster.Layout.PIXELS);
        assertThat(r.width()).isEqualTo(4);
        assertThat(r.height()).isEqualTo(3);
        assertThat(r.cell(1, 1)).isEqualTo(1f); // pixel 5 = row 1, col 1
        assertThat(r.cell(0, 0)).isEqualTo(0.5f);
        assertThat(r.describe(1, 1)).isEqualTo("pixel (row 1, col 1): 2 of 2 weights kept, mean mask 1.000");
        assertThat(r.describe(0, 0)).contains("1 of 2 weights kept");
        assertThat(r.keptFraction()).isEqualTo(13 / 24.0);
        assertThat(r.brightest()).isEqualTo(1f);
        assertThat(r.shade(0, 0)).isEqualTo(0.5f);
    }

    @Test
    void convWeightsAreAGridOfFiltersByInputChannelsWithGaps() {
        // 2 filters x 3 input channels x 2x2 taps; value = its flat index / 100
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 100f;
        }
        MaskRaster r = MaskRaster.of(new long[] {2, 3, 2, 2}, v, 28, 28);
        assertThat(r.layout()).isEqualTo(MaskRaster.Layout.FILTERS);
        assertThat(r.width()).isEqualTo(3 * 3 - 1);
        assertThat(r.height()).isEqualTo(2 * 3 - 1);
        // filter 1, input channel 2, tap (1, 0): index ((1*3+2)*2+1)*2+0 = 22 at row 1*3+1, col 2*3+0
        assertThat(r.cell(6, 4)).isEqualTo(0.22f);
        assertThat(r.describe(6, 4)).isEqualTo("filter 1, input channel 2, tap (1, 0): mask 0.220");
        assertThat(r.cell(2, 0)).isNaN(); // gap column between channel 0 and 1
        assertThat(r.describe(2, 0)).isNull();
        assertThat(r.shade(6, 4)).isEqualTo(0.22f); // only input pixels are rescaled
    }

    @Test
    void channelsAreAWrappedStripAndTheRestIsEmpty() {
        float[] v = new float[40];
        v[33] = 0.75f;
        MaskRaster r = MaskRaster.of(new long[] {40}, v, 28, 28);
        assertThat(r.layout()).isEqualTo(MaskRaster.Layout.STRIP);
        assertThat(r.width()).isEqualTo(MaskRaster.STRIP_COLUMNS);
        assertThat(r.height()).isEqualTo(2);
        assertThat(r.describe(1, 1)).isEqualTo("channel 33: mask 0.750");
        assertThat(r.cell(31, 1)).isNaN();
        assertThat(r.describe(-1, 0)).isNull();
    }

    @Test
    void aShapeThatDoesNotMatchTheValuesIsRejected() {
        assertThatThrownBy(() -> MaskRaster.of(new long[] {3, 3}, new float[8], 28, 28))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 values");
    }

    @Test
    void colourRunsFromDarkPrunedToBrightKept() {
        int pruned = MaskRaster.argb(0f), kept = MaskRaster.argb(1f);
        assertThat(brightness(kept)).isGreaterThan(brightness(MaskRaster.argb(0.5f)));
        assertThat(brightness(MaskRaster.argb(0.5f))).isGreaterThan(brightness(pruned));
        assertThat(MaskRaster.argb(Float.NaN)).isEqualTo(0xFFF4F4F4);
    }

    private static int brightness(int argb) {
        return (argb >> 16 & 0xFF) + (argb >> 8 & 0xFF) + (argb & 0xFF);
    }
}
