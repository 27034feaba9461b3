package voicecall.engine.call;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import voicecall.engine.audio.AudioFrame;

/**
 * The one clock that paces every call's outbound audio: each tick (20 ms) it takes every active
 * call's next frame, or a silence frame when the call has nothing queued, and hands it to that
 * call's transport. A single periodic task for all calls is cheaper and steadier than a timer per
 * call, keeps at most one frame per tick in flight per call, and keeps calls alive on Asterisk's
 * side (its {@code AudioSocket()} application hangs up after about 2 s without frames).
 *
 * <p>One call's failure (an exception from its transport or queue) ends that call only. The
 * scheduler is injected: production uses a dedicated single thread, tests a {@code
 * VirtualTimeScheduler}.
 */
public final class FrameClock implements Disposable {

  private static final Logger log = LoggerFactory.getLogger(FrameClock.class);

  private final Scheduler scheduler;
  private final ClockMetrics metrics;
  private final long periodNanos;
  private final Map<Call, FrameSink> calls = new ConcurrentHashMap<>();
  private long previousTickNanos;
  private final Disposable task;
  private long ticks;
  private volatile boolean stopped;

  private FrameClock(Scheduler scheduler, Duration period, ClockMetrics metrics) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("tick period must be positive, was " + period);
    }
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.periodNanos = period.toNanos();
    this.task =
        scheduler.schedulePeriodically(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts a clock that ticks every {@link Call#FRAME_MILLIS} ms.
   *
   * @param scheduler where the ticks run; give it a thread of its own in production
   * @param metrics where pacing jitter and frame counts go
   * @return the running clock; dispose it to stop
   */
  public static FrameClock start(Scheduler scheduler, ClockMetrics metrics) {
    return new FrameClock(scheduler, Duration.ofMillis(Call.FRAME_MILLIS), metrics);
  }

  /**
   * Starts serving a call until it ends.
   *
   * @param call the call
   * @param sink where its frames go
   * @throws IllegalStateException when the clock has been stopped
   */
  public void attach(Call call, FrameSink sink) {
    if (stopped) {
      throw new IllegalStateException("frame clock is stopped; cannot serve call " + call.id());
    }
    calls.put(call, sink);
    // A call that ends leaves the clock at once; no reference to it survives the call.
    call.ended().subscribe(cause -> calls.remove(call));
  }

  /** Returns how many calls the clock serves now. */
  public int activeCalls() {
    return calls.size();
  }

  /** Returns the scheduler the clock ticks on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  private void tick() {
    long now = scheduler.now(TimeUnit.NANOSECONDS);
    if (ticks++ > 0) {
      metrics.tick(Math.abs(now - previousTickNanos - periodNanos), calls.size());
    }
    previousTickNanos = now;
    for (Map.Entry<Call, FrameSink> e : calls.entrySet()) {
      serve(e.getKey(), e.getValue());
    }
  }

  private void serve(Call call, FrameSink sink) {
    if (!call.isActive()) {
      calls.remove(call);
      return;
    }
    try {
      AudioFrame frame = call.nextOutboundFrame();
      if (sink.send(frame)) {
        metrics.frameSent(call.isSilence(frame));
      } else {
        metrics.frameDropped();
      }
    } catch (RuntimeException e) {
      MDC.put("callId", call.id());
      try {
        log.warn("callId={} failed while sending audio; ending this call only", call.id(), e);
      } finally {
        MDC.remove("callId");
      }
      calls.remove(call);
      call.end(HangupCause.FAILURE);
    }
  }

  @Override
  public void dispose() {
    stopped = true;
    task.dispose();
    for (Call call : calls.keySet()) {
      call.end(HangupCause.SHUTDOWN);
    }
    calls.clear();
  }

  @Override
  public boolean isDisposed() {
    return stopped;
  }
}
