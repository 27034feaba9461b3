package voicecall.engine.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import voicecall.engine.audio.AudioFrame;

/**
 * Ending a call while the transport is handing it a frame: the two emissions on the inbound sink
 * overlap. {@link Call#end} must not fail, and the inbound stream must still complete: the
 * delivering thread completes it once its delivery returns. (An earlier version waited the overlap
 * out with a busy-looping handler made once, whose deadline had long passed, so the end threw and
 * left the stream open; a wait of any length also fails when the delivering thread is descheduled
 * on a loaded machine.)
 */
class CallEndRaceTest {

  @Test
  void endingWhileAFrameIsDeliveredCompletesTheInboundStream() throws Exception {
    Call.open("class-loaded", "en", 8000, Schedulers.immediate()).end(HangupCause.CALLER);
    // more than the 50 ms allowance after the class was loaded, as in any real call
    Thread.sleep(100);
    Call call = Call.open("race", "en", 8000, Schedulers.immediate());
    CountDownLatch delivering = new CountDownLatch(1);
    AtomicBoolean completed = new AtomicBoolean();
    call.inbound()
        .subscribe(
            frame -> {
              delivering.countDown();
              // still delivering when the call ends, and a little after
              long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
              while (call.isActive() && System.nanoTime() < limit) {
                Thread.onSpinWait();
              }
              long after = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
              while (System.nanoTime() < after) {
                Thread.onSpinWait();
              }
            },
            e -> {},
            () -> completed.set(true));
    Thread transport = new Thread(() -> call.receiveAudio(AudioFrame.silence(8000, 20, 0)));
    transport.start();
    assertThat(delivering.await(5, TimeUnit.SECONDS)).isTrue();

    call.end(HangupCause.CALLER);

    transport.join(5000);
    assertThat(completed).as("inbound completed").isTrue();
    assertThat(call.isActive()).isFalse();
  }
}
