package voicecall.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import voicecall.engine.audio.AudioFrame;

class CallTest {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  @Test
  void inboundAudioAndDtmfReachSubscribersAndCompleteOnHangUp() {
    Call call = Call.open("c1", "ko", 8000, time);
    call.receiveDtmf('5');
    StepVerifier.create(call.inbound())
        .then(() -> call.receiveAudio(AudioFrame.silence(8000, 30, 0)))
        .assertNext(f -> assertThat(f.sampleCount()).isEqualTo(240))
        .then(() -> call.end(HangupCause.CALLER))
        .verifyComplete();
    StepVerifier.create(call.dtmf()).expectNext('5').verifyComplete();
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.CALLER);
  }

  @Test
  void onlyTheFirstHangUpCounts() {
    Call call = Call.open("c2", "en", 16000, time);
    call.hangUp();
    call.end(HangupCause.CALLER);
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.ENGINE);
    assertThat(call.isActive()).isFalse();
  }

  @Test
  void badInputFromTheAdapterIsRejected() {
    Call call = Call.open("c3", "en", 8000, time);
    assertThatThrownBy(() -> call.receiveDtmf('x')).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> call.receiveAudio(AudioFrame.silence(16000, 20, 0)))
        .hasMessageContaining("c3");
    assertThatThrownBy(() -> Call.open(" ", "en", 8000, time))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Call.open("c4", "en", 44100, time))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latencyMarksUseTheInjectedClock() {
    Call call = Call.open("c5", "en", 8000, time);
    call.marks().mark("speech-end");
    time.advanceTimeBy(Duration.ofMillis(340));
    call.marks().mark("first-frame-out");
    assertThat(call.marks().between("speech-end", "first-frame-out"))
        .contains(Duration.ofMillis(340));
    assertThat(call.marks().list())
        .extracting(LatencyMarks.Mark::name)
        .containsExactly("speech-end", "first-frame-out");
    assertThat(call.marks().between("first-frame-out", "speech-end")).isEmpty();
  }

  @Test
  void manyThreadsPlayingAndClearingNeverLoseTheQueueBound() {
    Call call = Call.open("c6", "en", 8000, 5, Schedulers.immediate());
    List<reactor.core.publisher.Mono<Void>> plays =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> call.play(new short[1600]).subscribeOn(Schedulers.parallel()))
            .toList();
    reactor.core.publisher.Flux.merge(plays).subscribe();
    for (int i = 0; i < 2000; i++) {
      call.nextOutboundFrame();
      assertThat(call.queuedOutboundFrames()).isLessThanOrEqualTo(5);
      if (i % 100 == 0) {
        call.clearOutbound();
      }
    }
    call.end(HangupCause.ENGINE);
    assertThat(call.queuedOutboundFrames()).isZero();
  }
}
