package voicecall.app.recognition;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voicecall.engine.stt.RecognitionRecord;

/**
 * Records each utterance a recogniser finished or failed: {@code voicecall.stt.recognition} (end of
 * audio to transcript, tagged {@code engine} and {@code result}), the audio length, the transcript
 * length and the confidence per engine, and one log line. Failures log at WARN.
 */
final class RecognitionMetrics implements Consumer<RecognitionRecord> {

  private static final Logger log = LoggerFactory.getLogger(RecognitionMetrics.class);

  private final MeterRegistry meters;

  RecognitionMetrics(MeterRegistry meters) {
    this.meters = meters;
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
          "recognised engine={} result={} audio={} ms recognition={} ms chars={} confidence={}",
          r.engine(),
          r.result(),
          r.audio().toMillis(),
          r.recognitionTime().toMillis(),
          r.transcriptChars(),
          String.format(java.util.Locale.ROOT, "%.2f", r.confidence()));
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
