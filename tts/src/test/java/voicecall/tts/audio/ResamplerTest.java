package voicecall.tts.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  private static final double HALF_SCALE_SINE_DBFS = 20 * Math.log10(0.5 / Math.sqrt(2));

  @Test
  void toneBelowTheNewNyquistKeepsItsLevel() {
    PcmAudio out = Resampler.of(16_000, 8_000).resample(Tones.sine(1_000, 16_000, 1, 0.5));
    assertThat(out.sampleRate()).isEqualTo(8_000);
    assertThat(out.length()).isEqualTo(8_000);
    assertThat(Tones.middleLevel(out)).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.2));
    assertThat(Tones.levelAt(out, 1_000)).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.2));
  }

  @Test
  void toneAboveTheNewNyquistIsFilteredOutInsteadOfAliasing() {
    PcmAudio in = Tones.sine(6_000, 16_000, 1, 0.5);
    PcmAudio out = Resampler.of(16_000, 8_000).resample(in);
    // 6 kHz at 8 kHz would alias to 2 kHz; the low-pass must remove it first.
    assertThat(Tones.middleLevel(out) - HALF_SCALE_SINE_DBFS).isLessThan(-60);

    // The same check fails for plain sample dropping: the alias comes through at full level.
    short[] dropped = new short[in.length() / 2];
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = in.sample(2 * i);
    }
    PcmAudio naive = PcmAudio.of(dropped, 8_000);
    assertThat(Tones.levelAt(naive, 2_000)).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
  }

  @Test
  void synthesiserRateToTelephonyRate() {
    Resampler resampler = Resampler.of(22_050, 8_000);
    PcmAudio pass = resampler.resample(Tones.sine(3_000, 22_050, 1, 0.5));
    PcmAudio stop = resampler.resample(Tones.sine(5_000, 22_050, 1, 0.5));
    PcmAudio farStop = resampler.resample(Tones.sine(9_000, 22_050, 1, 0.5));
    assertThat(pass.length()).isEqualTo(8_000);
    assertThat(Tones.levelAt(pass, 3_000)).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
    assertThat(Tones.middleLevel(stop) - HALF_SCALE_SINE_DBFS).isLessThan(-50);
    assertThat(Tones.middleLevel(farStop) - HALF_SCALE_SINE_DBFS).isLessThan(-60);
  }

  @Test
  void upsamplingKeepsTheToneAndAddsNoImage() {
    PcmAudio out = Resampler.of(8_000, 16_000).resample(Tones.sine(1_000, 8_000, 1, 0.5));
    assertThat(out.length()).isEqualTo(16_000);
    assertThat(Tones.levelAt(out, 1_000)).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.2));
    // Zero-order hold or naive interpolation leaves an image at 8000 - 1000 = 7000 Hz.
    assertThat(Tones.levelAt(out, 7_000) - HALF_SCALE_SINE_DBFS).isLessThan(-60);
  }

  @Test
  void sameRateIsACopyAndBadInputIsRejected() {
    PcmAudio in = Tones.sine(440, 16_000, 0.1, 0.3);
    assertThat(in.resampleTo(16_000)).isSameAs(in);
    assertThat(Resampler.of(16_000, 16_000).resample(in)).isEqualTo(in);
    assertThatThrownBy(() -> Resampler.of(8_000, 16_000).resample(in))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16000 Hz");
    assertThatThrownBy(() -> Resampler.of(0, 8_000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamingInPiecesEqualsResamplingTheWhole() {
    PcmAudio speechLike =
        Tones.sine(440, 8_000, 0.5, 0.4).append(Tones.sine(1_700, 8_000, 0.5, 0.3));
    short[] whole = speechLike.samples();
    int[][] conversions = {{8_000, 16_000}, {16_000, 8_000}, {22_050, 8_000}, {8_000, 8_000}};
    for (int[] rates : conversions) {
      Resampler resampler = Resampler.of(rates[0], rates[1]);
      short[] expected = resampler.resample(whole);
      ResamplingStream stream = resampler.stream();
      ByteArrayOutputStream collected = new ByteArrayOutputStream();
      int[] pieces = {160, 1, 37, 320, 0, 999, 160};
      int at = 0;
      for (int i = 0; at < whole.length; i++) {
        int size = Math.min(pieces[i % pieces.length], whole.length - at);
        write(collected, stream.push(Arrays.copyOfRange(whole, at, at + size)));
        at += size;
      }
      write(collected, stream.flush());
      short[] actual = PcmAudio.fromLittleEndian(collected.toByteArray(), rates[1]).samples();
      assertThat(actual).as("%d -> %d", rates[0], rates[1]).containsExactly(expected);
    }
  }

  @Test
  void aFlushedStreamRefusesMoreInput() {
    ResamplingStream stream = Resampler.of(8_000, 16_000).stream();
    stream.push(new short[160]);
    stream.flush();
    assertThatThrownBy(() -> stream.push(new short[160])).isInstanceOf(IllegalStateException.class);
  }

  private static void write(ByteArrayOutputStream out, short[] samples) {
    out.writeBytes(PcmAudio.of(samples, 8_000).toLittleEndian());
  }
}
