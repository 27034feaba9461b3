package voicecall.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TonesTest {

  /** Relative power of one frequency in a signal (Goertzel). */
  private static double power(short[] pcm, int rate, double freq) {
    double coeff = 2 * Math.cos(2 * Math.PI * freq / rate);
    double s1 = 0;
    double s2 = 0;
    for (short x : pcm) {
      double s = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / pcm.length;
  }

  @ParameterizedTest
  @CsvSource({"1,697,1209,8000", "5,770,1336,16000", "#,941,1477,8000", "d,941,1633,16000"})
  void dtmfKeysCarryTheirTwoFrequenciesAndNoOthers(char key, int low, int high, int rate) {
    short[] pcm = Tones.dtmf(key, rate, 100);
    assertThat(pcm).hasSize(rate / 10);
    double lowPower = power(pcm, rate, low);
    double highPower = power(pcm, rate, high);
    for (int other : new int[] {697, 770, 852, 941, 1209, 1336, 1477, 1633}) {
      if (other != low && other != high) {
        assertThat(power(pcm, rate, other)).isLessThan(lowPower / 50).isLessThan(highPower / 50);
      }
    }
  }

  @Test
  void greetingIsAudibleAndStaysInRange() {
    short[] pcm = Tones.greeting(8000);
    assertThat(pcm).hasSize(4800);
    AudioFrame frame = AudioFrame.of(pcm, 8000, 0);
    assertThat(frame.peak()).isBetween(10000, 12000);
    assertThat(power(pcm, 8000, 659.25)).isGreaterThan(power(pcm, 8000, 1000) * 100);
  }

  @Test
  void unknownKeysAndImpossibleFrequenciesAreRejected() {
    assertThatThrownBy(() -> Tones.dtmf('x', 8000, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'");
    assertThatThrownBy(() -> Tones.sines(8000, 100, 1000, 4000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Tones.isDtmfKey('*')).isTrue();
    assertThat(Tones.isDtmfKey('E')).isFalse();
  }
}
