package voicecall.engine.vad;

import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.tts.audio.PcmAudio;

/**
 * A detector whose score is written into the audio: a window whose first sample is {@code v} scores
 * {@code v / 10000}. It lets the state machine be tested window by window, exactly.
 */
final class ScriptedDetector implements VoiceActivityDetector {

  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  private final Scheduler scheduler;
  private final int failOn;

  ScriptedDetector(Scheduler scheduler, int failOn) {
    this.scheduler = scheduler;
    this.failOn = failOn;
  }

  ScriptedDetector() {
    this(Schedulers.immediate(), -1);
  }

  /** Audio of {@code windows} 32 ms windows at 8 kHz, each scoring {@code probability}. */
  static PcmAudio windows(int windows, double probability) {
    short[] samples = new short[windows * 256];
    java.util.Arrays.fill(samples, (short) Math.round(probability * 10000));
    return PcmAudio.of(samples, 8000);
  }

  @Override
  public VoiceActivity open(int sampleRate) {
    int window = SileroVad.windowSamples(sampleRate);
    opened.incrementAndGet();
    return new VoiceActivity() {
      @Override
      public int sampleRate() {
        return sampleRate;
      }

      @Override
      public int windowSamples() {
        return window;
      }

      @Override
      public float speechProbability(short[] samples) {
        if (samples[0] == failOn) {
          throw new VadException("inference failed", new IllegalStateException("scripted"));
        }
        return samples[0] / 10000f;
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }
}
