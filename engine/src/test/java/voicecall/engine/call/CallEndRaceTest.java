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
 * overlap, and {@link Call#end} must wait the overlap out instead of failing. The busy-looping
 * handler that does this counts its deadline from when it is made; one made once (a constant) stops
 * retrying 50 ms after the class was loaded, and the end then threw and left the inbound stream
 * open.
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
