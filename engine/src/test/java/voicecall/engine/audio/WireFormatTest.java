package voicecall.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void slinIsSignedLittleEndian() {
    byte[] payload = {0x01, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};
    AudioFrame frame = WireFormat.SLIN_8K.decode(payload, 40);
    assertThat(frame.samples())
        .containsExactly((short) 1, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE);
    assertThat(frame.sampleRate()).isEqualTo(8000);
    assertThat(frame.timestampMillis()).isEqualTo(40);
    assertThat(WireFormat.SLIN_8K.encode(frame)).containsExactly(payload);
  }

  @Test
  void twentyMillisecondsTakeTheBytesAsteriskSends() {
    assertThat(WireFormat.SLIN_8K.bytesFor(20)).isEqualTo(320);
    assertThat(WireFormat.SLIN_16K.bytesFor(20)).isEqualTo(640);
    assertThat(WireFormat.ULAW_8K.bytesFor(20)).isEqualTo(160);
    assertThat(WireFormat.SLIN_8K.decode(new byte[480], 0).durationMicros()).isEqualTo(30_000);
  }

  @Test
  void ulawDecodesEachByteToOneSample() {
    AudioFrame frame = WireFormat.ULAW_8K.decode(new byte[] {(byte) 0x80, (byte) 0xFF, 0x00}, 0);
    assertThat(frame.samples()).containsExactly((short) 32124, (short) 0, (short) -32124);
    assertThat(WireFormat.ULAW_8K.encode(frame))
        .containsExactly((byte) 0x80, (byte) 0xFF, (byte) 0x00);
  }

  @Test
  void oddSlinPayloadIsRejected() {
    assertThatThrownBy(() -> WireFormat.SLIN_8K.decode(new byte[3], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
  }

  @Test
  void wrongRateIsRejectedInsteadOfPlayedAtTheWrongSpeed() {
    AudioFrame wide = AudioFrame.silence(16000, 20, 0);
    assertThatThrownBy(() -> WireFormat.SLIN_8K.encode(wide))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16000 Hz");
  }
}
