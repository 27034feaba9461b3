package voicecall.engine.vad.jmh;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechEvent;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.engine.vad.VoiceActivity;
import voicecall.tts.audio.PcmAudio;

/**
 * Cost of one 32 ms Silero window (8 and 16 kHz) on a stream of its own per benchmark thread, all
 * threads sharing one model session: run with {@code -t 1} for a single stream and {@code -t N}
 * for N streams scored at once. {@code segment10s} is the whole segmenter (re-framing, scheduler
 * hop, state machine) over 10 s of 8 kHz audio in 20 ms frames. Sample mode, so JMH reports p50,
 * p95 and p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class VadBenchmark {

  /** The model, shared by every thread as in production. */
  @State(Scope.Benchmark)
  public static class Model {
    final SileroVad vad = SileroVad.create();
    final SpeechSegmenter segmenter = SpeechSegmenter.create(vad, SegmenterConfig.defaults());

    /** Releases the model. */
    @TearDown
    public void close() {
      vad.close();
    }
  }

  /** One stream per thread, fed a varied signal so the recurrent state keeps moving. */
  @State(Scope.Thread)
  public static class Stream {
    @Nullable VoiceActivity narrow;
    @Nullable VoiceActivity wide;
    final short[][] narrowWindows = windows(256, 64, 1);
    final short[][] wideWindows = windows(512, 64, 2);
    final PcmAudio tenSeconds = tenSeconds();
    int next;

    /** Opens the thread's streams. */
    @Setup(Level.Trial)
    public void open(Model model) {
      narrow = model.vad.open(8000);
      wide = model.vad.open(16000);
    }

    /** Closes the thread's streams. */
    @TearDown(Level.Trial)
    public void close() {
      Objects.requireNonNull(narrow).close();
      Objects.requireNonNull(wide).close();
    }

    private static PcmAudio tenSeconds() {
      short[] samples = new short[80_000];
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < samples.length; i++) {
        double burst = (i / 4000) % 2 == 0 ? 6000 : 300;
        samples[i] =
            (short) (burst * Math.sin(2 * Math.PI * 180 * i / 8000.0) + random.nextInt(-500, 500));
      }
      return PcmAudio.of(samples, 8000);
    }

    private static short[][] windows(int size, int count, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      short[][] out = new short[count][size];
      for (int w = 0; w < count; w++) {
        double level = w % 8 < 4 ? 8000 : 200;
        for (int i = 0; i < size; i++) {
          out[w][i] =
              (short) (level * Math.sin(2 * Math.PI * (150 + 10 * w) * i / (size * 31.25))
                  + random.nextInt(-400, 400));
        }
      }
      return out;
    }
  }

  /**
   * One 8 kHz window (256 samples).
   *
   * @param stream the thread's stream
   * @return the probability
   */
  @Benchmark
  public float window8k(Stream stream) {
    short[] window = stream.narrowWindows[stream.next++ & 63];
    return Objects.requireNonNull(stream.narrow).speechProbability(window);
  }

  /**
   * One 16 kHz window (512 samples).
   *
   * @param stream the thread's stream
   * @return the probability
   */
  @Benchmark
  public float window16k(Stream stream) {
    short[] window = stream.wideWindows[stream.next++ & 63];
    return Objects.requireNonNull(stream.wide).speechProbability(window);
  }

  /**
   * The segmenter over 10 s of 8 kHz audio (312 windows) in 20 ms frames, on the VAD scheduler.
   *
   * @param model the shared model
   * @param stream the audio
   * @return the number of events
   */
  @Benchmark
  public long segment10s(Model model, Stream stream) {
    Flux<PcmAudio> frames = Flux.fromIterable(stream.tenSeconds.frames(Duration.ofMillis(20)));
    return model.segmenter
        .segment(frames)
        .ofType(SpeechEvent.class)
        .count()
        .blockOptional()
        .orElse(0L);
  }
}
