package voicecall.tts.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcmAudioTest {

  @Test
  void trimsLeadingAndTrailingSilenceKeepingAMargin() {
    PcmAudio speech =
        PcmAudio.silence(Duration.ofMillis(500), 16_000)
            .append(Tones.sine(300, 16_000, 0.3, 0.4))
            .append(PcmAudio.silence(Duration.ofMillis(700), 16_000));
    PcmAudio trimmed = speech.trimSilence(-50, Duration.ofMillis(20));
    assertThat(trimmed.duration()).isBetween(Duration.ofMillis(300), Duration.ofMillis(350));
    assertThat(trimmed.rmsDbfs()).isGreaterThan(speech.rmsDbfs());
  }

  @Test
  void allSilenceTrimsToNothingAndLoudAudioIsKept() {
    assertThat(
            PcmAudio.silence(Duration.ofSeconds(1), 8_000).trimSilence(-50, Duration.ZERO).length())
        .isZero();
    PcmAudio tone = Tones.sine(300, 8_000, 0.2, 0.4);
    assertThat(tone.trimSilence(-50, Duration.ofMillis(20))).isSameAs(tone);
  }

  @Test
  void cutsIntoTwentyMillisecondFramesPaddingTheLast() {
    PcmAudio audio = Tones.sine(300, 8_000, 0.05, 0.4); // 400 samples = 2.5 frames
    List<PcmAudio> frames = audio.frames(Duration.ofMillis(20));
    assertThat(frames).hasSize(3).allSatisfy(f -> assertThat(f.length()).isEqualTo(160));
    assertThat(frames.get(1).sample(0)).isEqualTo(audio.sample(160));
    assertThat(frames.get(2).sample(79)).isEqualTo(audio.sample(399));
    assertThat(frames.get(2).sample(80)).isZero();
    assertThat(Tones.sine(300, 16_000, 0.04, 0.4).frames(Duration.ofMillis(20)))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f.length()).isEqualTo(320));
    assertThatThrownBy(() -> audio.frames(Duration.ofNanos(1_000_100)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesRoundTripInBothOrders() {
    short[] samples = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 12345};
    PcmAudio audio = PcmAudio.of(samples, 8_000);
    assertThat(PcmAudio.fromLittleEndian(audio.toLittleEndian(), 8_000)).isEqualTo(audio);
    byte[] big = {0x30, 0x39};
    assertThat(PcmAudio.fromBytes(big, 0, 2, 8_000, true).sample(0)).isEqualTo((short) 12345);
    assertThatThrownBy(() -> PcmAudio.fromLittleEndian(new byte[3], 8_000))
        .hasMessageContaining("even");
    assertThatThrownBy(() -> PcmAudio.of(samples, 12)).hasMessageContaining("sample rate");
  }

  @Test
  void valueIsImmutable() {
    short[] samples = {1, 2, 3};
    PcmAudio audio = PcmAudio.of(samples, 8_000);
    samples[0] = 99;
    audio.samples()[1] = 99;
    assertThat(audio.samples()).containsExactly(1, 2, 3);
    assertThat(audio.sizeInBytes()).isEqualTo(6);
    assertThat(audio.duration()).isEqualTo(Duration.ofNanos(375_000));
  }

  @Test
  void wavRoundTripAndGarbageIsRejected() {
    PcmAudio audio = Tones.sine(440, 22_050, 0.1, 0.3);
    assertThat(Wav.decode(Wav.encode(audio))).isEqualTo(audio);
    assertThatThrownBy(
            () -> Wav.decode("hello, this is not audio".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a WAV");
    byte[] streaming = Wav.encode(audio);
    streaming[40] =
        (byte) 0xff; // declared data size far too large, as a streaming writer leaves it
    streaming[41] = (byte) 0xff;
    streaming[42] = (byte) 0xff;
    streaming[43] = (byte) 0x7f;
    assertThat(Wav.decode(streaming)).isEqualTo(audio);
  }
}
