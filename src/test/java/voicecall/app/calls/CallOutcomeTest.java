package voicecall.app.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import voicecall.engine.call.HangupCause;

class CallOutcomeTest {

  private static TurnRecord turn(String decision) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new TurnRecord(1, "q", decision, null, null, t, t, t, null);
  }

  @Test
  void transferWinsOverAnswerAndAnswerOverAnError() {
    List<TurnRecord> answeredThenHuman = List.of(turn("ANSWER"), turn("HUMAN"));
    assertThat(CallOutcome.of(answeredThenHuman, HangupCause.CALLER))
        .isEqualTo(CallOutcome.TRANSFERRED);
    assertThat(CallOutcome.of(List.of(turn("NONE")), HangupCause.TRANSFER))
        .isEqualTo(CallOutcome.TRANSFERRED);
    assertThat(CallOutcome.of(List.of(turn("ANSWER")), HangupCause.FAILURE))
        .isEqualTo(CallOutcome.ANSWERED);
    assertThat(CallOutcome.of(List.of(turn("CLARIFY")), HangupCause.PROTOCOL_ERROR))
        .isEqualTo(CallOutcome.ERROR);
    assertThat(CallOutcome.of(List.of(), HangupCause.FAILURE)).isEqualTo(CallOutcome.ERROR);
    assertThat(CallOutcome.of(List.of(turn("NONE")), HangupCause.CALLER))
        .isEqualTo(CallOutcome.ABANDONED);
    assertThat(CallOutcome.of(List.of(), HangupCause.SHUTDOWN)).isEqualTo(CallOutcome.ABANDONED);
  }

  @Test
  void apiNamesRoundTrip() {
    for (CallOutcome o : CallOutcome.values()) {
      assertThat(CallOutcome.parse(o.wire())).contains(o);
      assertThat(CallOutcome.parse(" " + o.name() + " ")).contains(o);
    }
    assertThat(CallOutcome.parse("happy")).isEmpty();
  }

  @Test
  void anOverlongTranscriptIsCutToItsColumn() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    TurnRecord r =
        new TurnRecord(1, "x".repeat(5000), "NONE", null, null, t, t, t, t.plusMillis(7));
    assertThat(r.heard()).hasSize(TurnRecord.MAX_HEARD);
    assertThat(r.voiceToVoiceMillis()).isEqualTo(7L);
  }
}
