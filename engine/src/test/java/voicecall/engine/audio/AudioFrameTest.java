package voicecall.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AudioFrameTest {

  @Test
  void splitCutsIntoEqualFramesAndPadsTheLast() {
    short[] pcm = new short[400];
    java.util.Arrays.fill(pcm, (short) 5);
    List<AudioFrame> frames = AudioFrame.split(pcm, 8000, 20, 100);
    assertThat(frames).hasSize(3);
    assertThat(frames).allMatch(f -> f.sampleCount() == 160);
    assertThat(frames).extracting(AudioFrame::timestampMillis).containsExactly(100L, 120L, 140L);
    assertThat(frames.get(2).sample(79)).isEqualTo((short) 5);
    assertThat(frames.get(2).sample(80)).isEqualTo((short) 0);
  }

  @Test
  void framesAreImmutable() {
    short[] pcm = {1, 2, 3};
    AudioFrame frame = AudioFrame.of(pcm, 8000, 0);
    pcm[0] = 99;
    frame.samples()[1] = 99;
    assertThat(frame.samples()).containsExactly((short) 1, (short) 2, (short) 3);
  }

  @Test
  void silenceHasNoPeakAndTheRightLength() {
    AudioFrame frame = AudioFrame.silence(16000, 20, 0);
    assertThat(frame.sampleCount()).isEqualTo(320);
    assertThat(frame.peak()).isZero();
    assertThat(frame.durationMicros()).isEqualTo(20_000);
  }

  @Test
  void nonsenseIsRejected() {
    assertThatThrownBy(() -> AudioFrame.of(new short[1], 100, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AudioFrame.of(new short[1], 8000, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AudioFrame.split(new short[1], 8000, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
