package voicecall.app.telephony;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound allowance for cancelling a timer: {@code Mono.timeout}, {@code Flux.interval} and
 * other delayed tasks live in a {@code ScheduledThreadPoolExecutor}, whose queue takes a short lock
 * to remove a cancelled task. Reactor itself allows the same lock for {@code offer} and {@code
 * take}; removal is the same tiny critical section (no I/O, no waiting on other work), and it
 * happens whenever a reply beats its timeout on an event loop.
 */
public final class TimerQueueIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside(
        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove");
  }
}
