package voicecall.engine.stt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.Warmup;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;

/**
 * Cost of recognising one caller question (8 kHz µ-law flite speech of the evaluation set's
 * paraphrases, 20 ms frames delivered at once, then finalisation) with the domain model of the
 * evaluation FAQ, one session per benchmark thread. Divide the time by the mean audio length
 * (printed at setup) for CPU per second of audio; run with {@code -t N} for N calls at once.
 * Needs flite and PocketSphinx. The {@code finalisation} of each transcript (decoder time from the
 * end of the audio to the transcript) is collected and printed as p50/p95/p99 at tear-down.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class SttBenchmark {

  /** The recogniser and the utterances, shared by every thread. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Nullable PocketSphinxRecognizer recognizer;
    final List<PcmAudio> utterances = new ArrayList<>();
    final List<Long> finalisationMicros = new ArrayList<>();

    /** Builds the model and synthesises 24 questions with the four voices. */
    @Setup(Level.Trial)
    public void setUp() {
      recognizer =
          PocketSphinxRecognizer.create(
              KnowledgeBase.build(1, EvalSet.allEntries()),
              PocketSphinxRecognizer.SYSTEM_MODEL,
              new PocketSphinxRecognizer.Settings(
                  64, 2, Duration.ofSeconds(10), 3, Path.of("target", "stt-bench")));
      int i = 0;
      double seconds = 0;
      for (EvalSet.Query q : EvalSet.queries("en")) {
        if (q.expectedId() == null || i >= 24) {
          continue;
        }
        PcmAudio a = Speech.telephone(Speech.VOICES[i++ % 4], q.text());
        utterances.add(a);
        seconds += a.duration().toNanos() / 1e9;
      }
      System.out.printf("%n[stt-bench] mean utterance %.3f s%n", seconds / utterances.size());
    }

    /** Prints the finalisation percentiles and frees the decoders. */
    @TearDown(Level.Trial)
    public void tearDown() {
      long[] sorted;
      synchronized (finalisationMicros) {
        sorted = finalisationMicros.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      if (sorted.length > 0) {
        System.out.printf(
            "%n[stt-bench] %d transcripts, finalisation p50 %.2f ms p95 %.2f ms p99 %.2f ms%n",
            sorted.length,
            at(sorted, 0.50) / 1000.0,
            at(sorted, 0.95) / 1000.0,
            at(sorted, 0.99) / 1000.0);
      }
      Objects.requireNonNull(recognizer).close();
    }

    private static long at(long[] sorted, double q) {
      return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }
  }

  /** One call per thread. */
  @State(Scope.Thread)
  public static class Call {
    @Nullable RecognitionSession session;
    int next;

    /** Opens the call's session and warms it with one utterance. */
    @Setup(Level.Trial)
    public void open(Shared shared) {
      session = Objects.requireNonNull(Objects.requireNonNull(shared.recognizer).open().block());
      session.recognize(Speech.frames(shared.utterances.get(0))).block();
    }

    /** Closes the session. */
    @TearDown(Level.Trial)
    public void close() {
      Objects.requireNonNull(session).close();
    }
  }

  /**
   * One question: decode all frames, then finalise.
   *
   * @return the transcript
   */
  @Benchmark
  public Transcript utterance(Shared shared, Call call) {
    PcmAudio audio = shared.utterances.get(call.next++ % shared.utterances.size());
    Transcript t =
        Objects.requireNonNull(
            Objects.requireNonNull(call.session).recognize(Speech.frames(audio)).block());
    synchronized (shared.finalisationMicros) {
      shared.finalisationMicros.add(t.finalisation().toNanos() / 1000);
    }
    return t;
  }
}
