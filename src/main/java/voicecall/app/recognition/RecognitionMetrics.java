package voicecall.app.recognition;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.stt.RecognitionRecord;
import voicecall.engine.stt.SpokenQuestionPolicy;
import voicecall.rag.Language;

/**
 * Records each utterance a recogniser finished or failed: {@code voicecall.stt.recognition} (end of
 * audio to transcript, tagged {@code engine} and {@code result}), the audio length, the transcript
 * length and the confidence per engine, {@code voicecall.stt.noisy.line} (utterances heard over a
 * noisy line, per engine), and one log line. Failures log at WARN. It also counts {@code
 * voicecall.stt.noisy.line.confirmations}: decisions that the noisy-line threshold alone turned
 * from ANSWER into CLARIFY, tagged {@code language} and {@code source} ({@code call} or {@code
 * recognise}), and shows the local recogniser's native decoders ({@code voicecall.stt.decoders}).
 */
final class RecognitionMetrics implements Consumer<RecognitionRecord> {

  private static final Logger log = LoggerFactory.getLogger(RecognitionMetrics.class);

  /** {@code source} of a decision made in a call. */
  static final String CALL = "call";

  /** {@code source} of a decision made by {@code POST /api/v1/recognise}. */
  static final String RECOGNISE = "recognise";

  private final MeterRegistry meters;

  RecognitionMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * Counts a decision on a transcript: registers the confirmation counter of its language and
   * source, and increments it when the noisy-line threshold alone asked for the confirmation.
   *
   * @param decided the decision
   * @param language the caller's language
   * @param source {@link #CALL} or {@link #RECOGNISE}
   */
  void decided(SpokenQuestionPolicy.Decided decided, Language language, String source) {
    Counter confirmations =
        Counter.builder("voicecall.stt.noisy.line.confirmations")
            .description(
                "decisions that would have been ANSWER on a clean line but were CLARIFY because"
                    + " the noisy line needs more confident words")
            .tag("language", language.code())
            .tag("source", source)
            .register(meters);
    if (decided.noisyLineConfirmation()) {
      confirmations.increment();
    }
  }

  /**
   * Shows the local recogniser's native decoders as {@code voicecall.stt.decoders} (tagged {@code
   * engine}): memory outside the Java heap that the JVM's own metrics do not see.
   *
   * @param local the local recogniser
   * @param engine its name in metrics
   */
  void decoders(PocketSphinxRecognizer local, String engine) {
    Gauge.builder("voicecall.stt.decoders", local, PocketSphinxRecognizer::liveDecoders)
        .description(
            "native recogniser decoders (about 11 MB each, outside the Java heap): one per call"
                + " in progress, and the spares built ahead")
        .tag("engine", engine)
        .register(meters);
  }

  @Override
  public void accept(RecognitionRecord r) {
    Timer.builder("voicecall.stt.recognition")
        .description("end of the utterance's audio to its transcript (or failure)")
        .tag("engine", r.engine())
        .tag("result", r.result())
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(meters)
        .record(r.recognitionTime());
    DistributionSummary.builder("voicecall.stt.audio")
        .description("audio per recognised utterance")
        .baseUnit("seconds")
        .tag("engine", r.engine())
        .register(meters)
        .record(r.audio().toNanos() / 1e9);
    Counter noisyLine =
        Counter.builder("voicecall.stt.noisy.line")
            .description("utterances heard over a noisy line (decoded by the noise-adapted model)")
            .tag("engine", r.engine())
            .register(meters);
    if (r.noisyLine()) {
      noisyLine.increment();
    }
    if (r.succeeded()) {
      DistributionSummary.builder("voicecall.stt.transcript.chars")
          .description("transcript length")
          .tag("engine", r.engine())
          .register(meters)
          .record(r.transcriptChars());
      DistributionSummary.builder("voicecall.stt.confidence")
          .description("transcript confidence, 0-1")
          .tag("engine", r.engine())
          .register(meters)
          .record(r.confidence());
      log.info(
          "recognised engine={} result={} audio={} ms recognition={} ms chars={} confidence={}"
              + " noisyLine={}",
          r.engine(),
          r.result(),
          r.audio().toMillis(),
          r.recognitionTime().toMillis(),
          r.transcriptChars(),
          String.format(java.util.Locale.ROOT, "%.2f", r.confidence()),
          r.noisyLine());
    } else {
      log.warn(
          "recognition failed engine={} result={} audio={} ms after={} ms: {}",
          r.engine(),
          r.result(),
          r.audio().toMillis(),
          r.recognitionTime().toMillis(),
          r.error());
    }
  }
}
