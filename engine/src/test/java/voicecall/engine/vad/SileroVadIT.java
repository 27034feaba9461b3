package voicecall.engine.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voicecall.engine.testspeech.Flite;
import voicecall.tts.audio.PcmAudio;

/** The real Silero model on real (flite) speech, noise, DTMF and silence. */
class SileroVadIT {

  private static SileroVad vad;

  @BeforeAll
  static void load() {
    vad = SileroVad.create(2);
  }

  @AfterAll
  static void close() {
    vad.close();
  }

  private static float[] scores(VoiceActivity activity, PcmAudio audio) {
    int window = activity.windowSamples();
    short[] samples = audio.samples();
    float[] out = new float[samples.length / window];
    for (int w = 0; w < out.length; w++) {
      short[] chunk = new short[window];
      System.arraycopy(samples, w * window, chunk, 0, window);
      out[w] = activity.speechProbability(chunk);
    }
    return out;
  }

  private static float[] scores(int rate, PcmAudio audio) {
    try (VoiceActivity activity = vad.open(rate)) {
      return scores(activity, audio);
    }
  }

  private static double fractionAtLeast(float[] scores, int from, int to, double threshold) {
    int count = 0;
    for (int i = from; i < to; i++) {
      if (scores[i] >= threshold) {
        count++;
      }
    }
    return (double) count / (to - from);
  }

  private static float max(float[] scores) {
    float max = 0;
    for (float s : scores) {
      max = Math.max(max, s);
    }
    return max;
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000})
  void speechScoresHighAndTheSilenceAroundItLow(int rate) {
    Flite.assumeInstalled();
    for (String voice : List.of("slt", "rms", "awb", "kal16")) {
      PcmAudio speech =
          TestAudio.speak(voice, "I would like to know the roaming charges for my plan.", rate);
      PcmAudio audio =
          TestAudio.join(TestAudio.silence(1024, rate), speech, TestAudio.silence(1024, rate));
      float[] scores = scores(rate, audio);
      int speechFrom = 1024 / 32;
      int speechTo = speechFrom + speech.length() / SileroVad.windowSamples(rate);
      assertThat(fractionAtLeast(scores, speechFrom, speechTo, 0.5))
          .as("%s at %d Hz: share of speech windows scored >= 0.5", voice, rate)
          .isGreaterThan(0.8);
      assertThat(max(java.util.Arrays.copyOfRange(scores, 0, speechFrom - 2)))
          .as("%s at %d Hz: silence before", voice, rate)
          .isLessThan(0.1f);
      assertThat(max(java.util.Arrays.copyOfRange(scores, speechTo + 12, scores.length)))
          .as("%s at %d Hz: silence after", voice, rate)
          .isLessThan(0.1f);
    }
  }

  @Test
  void noiseAloneScoresLow() {
    for (PcmAudio noise :
        List.of(
            TestAudio.whiteNoise(5000, 8000, -30, 1),
            TestAudio.pinkNoise(5000, 8000, -30, 2),
            TestAudio.whiteNoise(5000, 8000, -50, 3))) {
      float[] scores = scores(8000, noise);
      assertThat(fractionAtLeast(scores, 0, scores.length, 0.5)).as(noise.toString()).isZero();
    }
  }

  @Test
  void dtmfTonesScoreLow() {
    PcmAudio tones = TestAudio.dtmf("0123456789*#", 100, 80, 8000);
    PcmAudio longTones = TestAudio.dtmf("50#", 1000, 200, 8000);
    for (PcmAudio audio : List.of(tones, longTones)) {
      float[] scores = scores(8000, audio);
      assertThat(fractionAtLeast(scores, 0, scores.length, 0.5)).isZero();
    }
  }

  @Test
  void eachStreamKeepsItsOwnStateWhenInterleavedAndRunConcurrently() throws Exception {
    Flite.assumeInstalled();
    PcmAudio speech =
        TestAudio.join(
            TestAudio.silence(300, 8000),
            TestAudio.speak("slt", "Please transfer me to an agent.", 8000),
            TestAudio.silence(300, 8000));
    PcmAudio noise = TestAudio.pinkNoise(3000, 8000, -35, 7);
    float[] speechAlone = scores(8000, speech);
    float[] noiseAlone = scores(8000, noise);

    float[] speechInterleaved = new float[speechAlone.length];
    float[] noiseInterleaved = new float[noiseAlone.length];
    try (VoiceActivity a = vad.open(8000);
        VoiceActivity b = vad.open(8000)) {
      short[] s = speech.samples();
      short[] n = noise.samples();
      for (int w = 0; w < Math.max(speechAlone.length, noiseAlone.length); w++) {
        if (w < speechAlone.length) {
          speechInterleaved[w] =
              a.speechProbability(java.util.Arrays.copyOfRange(s, w * 256, w * 256 + 256));
        }
        if (w < noiseAlone.length) {
          noiseInterleaved[w] =
              b.speechProbability(java.util.Arrays.copyOfRange(n, w * 256, w * 256 + 256));
        }
      }
    }
    assertThat(speechInterleaved).containsExactly(speechAlone);
    assertThat(noiseInterleaved).containsExactly(noiseAlone);
    assertThat(max(speechAlone)).isGreaterThan(0.9f);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        PcmAudio audio = i % 2 == 0 ? speech : noise;
        runs.add(pool.submit(() -> scores(8000, audio)));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertThat(runs.get(i).get()).containsExactly(i % 2 == 0 ? speechAlone : noiseAlone);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badInputGetsClearErrors() {
    assertThatThrownBy(() -> vad.open(44100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8000 or 16000");
    VoiceActivity activity = vad.open(8000);
    assertThat(activity.windowSamples()).isEqualTo(256);
    assertThat(activity.sampleRate()).isEqualTo(8000);
    assertThatThrownBy(() -> activity.speechProbability(new short[160]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 samples, got 160");
    activity.close();
    activity.close();
    assertThatThrownBy(() -> activity.speechProbability(new short[256]))
        .isInstanceOf(IllegalStateException.class);
    assertThat(vad.open(16000).windowSamples()).isEqualTo(512);
    assertThatThrownBy(() -> SileroVad.create(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
