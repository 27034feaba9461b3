package voicecall.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import voicecall.app.config.VoiceCallProperties;
import voicecall.engine.call.TransferRequest;

class TransfersTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Transfers transfers = new Transfers(TelephonyStack.transferConfig(true), meters);
  private final TransferRequest request =
      new TransferRequest(
          "c-1",
          "Is my order\r\nshipped? \"urgent\"",
          "faq-3",
          TransferRequest.Reason.PRESSED_ZERO);

  @Test
  void cleaningRemovesLineBreaksQuotesAndBackslashesAndCapsTheLength() {
    assertThat(Transfers.clean("a\nb\r\n\tc", 100)).isEqualTo("a b c");
    assertThat(Transfers.clean("say \"hi\" it's `x` a\\b", 100)).isEqualTo("say hi its x ab");
    assertThat(Transfers.clean("  lots   of\u2028space  ", 100)).isEqualTo("lots of space");
    assertThat(Transfers.clean("abcdef", 4)).isEqualTo("abcd");
    assertThat(Transfers.clean("abc def", 4)).isEqualTo("abc");
    assertThat(Transfers.clean("배송 언제 오나요", 5)).isEqualTo("배송 언제");
    // a character outside the BMP is kept whole or dropped, never split
    assertThat(Transfers.clean("ab\uD83D\uDE00cd", 3)).isEqualTo("ab\uD83D\uDE00");
    assertThat(Transfers.clean("", 10)).isEmpty();
  }

  @Test
  void anAllowedDestinationGetsAPlanWithCleanedVariablesInOrder() {
    TransferPlan plan = transfers.plan(request, "voicecall-agents", "agent", 2).orElseThrow();
    assertThat(plan.variables())
        .containsExactly(
            new TransferPlan.Variable(Transfers.QUESTION, "Is my order shipped? urgent"),
            new TransferPlan.Variable(Transfers.ENTRY_ID, "faq-3"),
            new TransferPlan.Variable(Transfers.CALL_ID, "c-1"));
    assertThat(plan.priority()).isEqualTo(2);
    TransferPlan noEntry =
        transfers
            .plan(
                new TransferRequest("c-2", "", null, TransferRequest.Reason.NOT_UNDERSTOOD),
                "voicecall-agents",
                "agent",
                1)
            .orElseThrow();
    assertThat(noEntry.variables())
        .extracting(TransferPlan.Variable::value)
        .containsExactly("", "", "c-2");
  }

  @Test
  void aDestinationOffTheAllowlistIsRefused() {
    assertThat(transfers.plan(request, "from-internal", "agent", 1)).isEmpty();
    assertThat(transfers.plan(request, "voicecall-agents", "9999", 1)).isEmpty();
    assertThat(transfers.plan(request, "voicecall-agents", "agent", 0)).isEmpty();
    assertThat(transfers.allows("voicecall-agents", "agent")).isTrue();
    assertThat(transfers.allows("voicecall-agents", "agent2")).isFalse();
  }

  @Test
  void everyOutcomeIsCountedAndARefusalRunsNothing() {
    AtomicReference<TransferPlan> ran = new AtomicReference<>();
    StepVerifier.create(
            transfers.carryOut("ari", request, p -> Mono.fromRunnable(() -> ran.set(p))))
        .expectNext(true)
        .verifyComplete();
    assertThat(ran.get()).extracting(TransferPlan::context).isEqualTo("voicecall-agents");

    ran.set(null);
    StepVerifier.create(
            transfers.carryOut(
                "ari", request, "elsewhere", "agent", 1, p -> Mono.fromRunnable(() -> ran.set(p))))
        .expectNext(false)
        .verifyComplete();
    assertThat(ran.get()).isNull();

    StepVerifier.create(
            transfers.carryOut("ari", request, p -> Mono.error(new IllegalStateException("gone"))))
        .expectNext(false)
        .verifyComplete();
    transfers.cannot("audiosocket", "c-9", "no session");

    assertThat(count("ari", "done")).isEqualTo(1);
    assertThat(count("ari", "refused")).isEqualTo(1);
    assertThat(count("ari", "failed")).isEqualTo(1);
    assertThat(count("audiosocket", "failed")).isEqualTo(1);
  }

  @Test
  void badSettingsAreRejectedNamingTheProperty() {
    assertThatThrownBy(
            () ->
                new VoiceCallProperties.Transfer(
                    "agents\nX", "agent", 1, List.of("agents"), List.of("agent"), 200))
        .hasMessageContaining("voicecall.transfer.context");
    assertThatThrownBy(
            () ->
                new VoiceCallProperties.Transfer(
                    "agents", "agent", 0, List.of("agents"), List.of("agent"), 200))
        .hasMessageContaining("voicecall.transfer.priority");
    assertThatThrownBy(
            () ->
                new VoiceCallProperties.Transfer(
                    "agents", "agent", 1, List.of("a,b"), List.of("agent"), 200))
        .hasMessageContaining("voicecall.transfer.allowed-contexts");
    assertThatThrownBy(
            () ->
                new VoiceCallProperties.Transfer(
                    "agents", "agent", 1, List.of("agents"), List.of("agent"), 5))
        .hasMessageContaining("voicecall.transfer.max-variable-length");
    assertThatThrownBy(() -> new TransferPlan.Variable("VOICECALL_X", "a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransferPlan.Variable("bad name", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private double count(String adapter, String result) {
    Counter c =
        meters.find("voicecall.transfers").tags("adapter", adapter, "result", result).counter();
    return c == null ? 0 : c.count();
  }
}
