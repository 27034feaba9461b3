package voicecall.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class CallTransferTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  @Test
  void aTransferEndsTheCallAndTheRequestIsReadableWhenTheEndIsAnnounced() {
    Call call = Call.open("t1", "en", 8000, time);
    TransferRequest request =
        new TransferRequest(
            "t1", "where is my parcel", "faq-7", TransferRequest.Reason.ASKED_FOR_HUMAN);
    List<Object> seenAtEnd = new ArrayList<>();
    call.ended()
        .subscribe(
            cause -> {
              seenAtEnd.add(cause);
              seenAtEnd.add(call.transferRequested().block(Duration.ZERO));
            });

    assertThat(call.transfer(request)).isTrue();

    assertThat(seenAtEnd).containsExactly(HangupCause.TRANSFER, request);
    assertThat(call.isActive()).isFalse();
    StepVerifier.create(call.transferRequested()).expectNext(request).verifyComplete();
    StepVerifier.create(call.inbound()).verifyComplete();
  }

  @Test
  void aCallThatEndedOtherwiseHasNoTransferAndALateTransferChangesNothing() {
    Call call = Call.open("t2", "en", 8000, time);
    call.end(HangupCause.CALLER);
    assertThat(
            call.transfer(new TransferRequest("t2", "", null, TransferRequest.Reason.PRESSED_ZERO)))
        .isFalse();
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.CALLER);
    StepVerifier.create(call.transferRequested()).verifyComplete();
  }

  @Test
  void onlyTheFirstTransferCounts() {
    Call call = Call.open("t3", "en", 8000, time);
    TransferRequest first =
        new TransferRequest("t3", "a", null, TransferRequest.Reason.NOT_UNDERSTOOD);
    call.transfer(first);
    call.transfer(new TransferRequest("t3", "b", null, TransferRequest.Reason.PRESSED_ZERO));
    call.hangUp();
    assertThat(call.transferRequested().block(Duration.ZERO)).isEqualTo(first);
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.TRANSFER);
  }

  @Test
  void badRequestsAreRejected() {
    Call call = Call.open("t4", "en", 8000, time);
    assertThatThrownBy(
            () ->
                call.transfer(
                    new TransferRequest("other", "", null, TransferRequest.Reason.PRESSED_ZERO)))
        .hasMessageContaining("other")
        .hasMessageContaining("t4");
    assertThat(call.isActive()).isTrue();
    assertThatThrownBy(
            () -> new TransferRequest(" ", "", null, TransferRequest.Reason.PRESSED_ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransferRequest("t4", "", "", TransferRequest.Reason.PRESSED_ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
