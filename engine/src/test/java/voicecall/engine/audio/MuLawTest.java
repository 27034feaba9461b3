package voicecall.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MuLawTest {

  @Test
  void decodesKnownCodesOfTheG711Table() {
    assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
    assertThat(MuLaw.decode((byte) 0xFF)).isEqualTo((short) 0);
    assertThat(MuLaw.decode((byte) 0x7F)).isEqualTo((short) 0);
    assertThat(MuLaw.decode((byte) 0xFE)).isEqualTo((short) 8);
    assertThat(MuLaw.decode((byte) 0xF0)).isEqualTo((short) 120);
    assertThat(MuLaw.decode((byte) 0xEF)).isEqualTo((short) 132);
    assertThat(MuLaw.decode((byte) 0x7E)).isEqualTo((short) -8);
    assertThat(MuLaw.decode((byte) 0xDF)).isEqualTo((short) 396);
  }

  @Test
  void encodesKnownSamples() {
    assertThat(MuLaw.encode((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(MuLaw.encode((short) -1)).isEqualTo((byte) 0x7F);
    assertThat(MuLaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    assertThat(MuLaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    assertThat(MuLaw.encode((short) 8)).isEqualTo((byte) 0xFE);
    assertThat(MuLaw.encode((short) 132)).isEqualTo((byte) 0xEF);
    assertThat(MuLaw.encode((short) 1000)).isEqualTo((byte) 0xCE);
    assertThat(MuLaw.encode((short) -1000)).isEqualTo((byte) 0x4E);
  }

  @Test
  void everyCodeSurvivesDecodeThenEncodeExceptNegativeZero() {
    for (int code = 0; code < 256; code++) {
      byte expected = code == 0x7F ? (byte) 0xFF : (byte) code;
      assertThat(MuLaw.encode(MuLaw.decode((byte) code))).as("code %02x", code).isEqualTo(expected);
    }
  }

  @Test
  void quantisationErrorStaysWithinHalfAStepOfTheSegment() {
    for (int pcm = -32124; pcm <= 32124; pcm += 7) {
      int decoded = MuLaw.decode(MuLaw.encode((short) pcm));
      // the step doubles per segment: 8 near zero, 1024 in the top segment
      int step = Math.max(8, Integer.highestOneBit(Math.abs(pcm) + 132) >> 4);
      assertThat(Math.abs(decoded - pcm)).as("pcm %d", pcm).isLessThanOrEqualTo(step);
    }
  }

  @Test
  void encodingIsMonotonic() {
    int previous = Integer.MIN_VALUE;
    for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
      int decoded = MuLaw.decode(MuLaw.encode((short) pcm));
      assertThat(decoded).isGreaterThanOrEqualTo(previous);
      previous = decoded;
    }
  }
}
