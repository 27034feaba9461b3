package voicecall.app.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voicecall.engine.dialogue.Turn;
import voicecall.rag.Decision;

/**
 * Records each turn: {@code voicecall.turn.voice_to_voice} (end of speech to the first reply frame
 * queued) and {@code voicecall.turn.decisions} counted per decision, and logs the turn.
 */
final class TurnMetrics implements Consumer<Turn> {

  private static final Logger log = LoggerFactory.getLogger(TurnMetrics.class);

  private final Timer voiceToVoice;
  private final Map<Decision, Counter> decisions = new EnumMap<>(Decision.class);

  TurnMetrics(MeterRegistry meters) {
    this.voiceToVoice =
        Timer.builder("voicecall.turn.voice_to_voice")
            .description("end of the caller's speech to the first reply frame queued")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(meters);
    for (Decision d : Decision.values()) {
      decisions.put(
          d,
          Counter.builder("voicecall.turn.decisions")
              .description("turns by knowledge decision")
              .tag("decision", d.name())
              .register(meters));
    }
  }

  @Override
  public void accept(Turn turn) {
    Objects.requireNonNull(decisions.get(turn.decision()), "counter").increment();
    turn.voiceToVoice().ifPresent(voiceToVoice::record);
    log.info(
        "turn {}: heard '{}' decision={} entry={} voice-to-voice={}",
        turn.index(),
        turn.heard(),
        turn.decision(),
        turn.entryId(),
        turn.voiceToVoice().map(v -> v.toMillis() + " ms").orElse("none"));
  }
}
