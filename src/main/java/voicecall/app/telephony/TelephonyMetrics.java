package voicecall.app.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import voicecall.engine.call.ClockMetrics;

/**
 * The telephony meters: live calls, frames in and out, dropped frames and the frame clock's pacing
 * jitter as a histogram ({@code voicecall.frameclock.jitter}, with p50/p95/p99).
 */
public final class TelephonyMetrics implements ClockMetrics {

  private final Counter framesIn;
  private final Counter audioOut;
  private final Counter silenceOut;
  private final Counter dropped;
  private final Counter protocolErrors;
  private final Timer jitter;

  /**
   * Registers the meters.
   *
   * @param meters the registry
   * @param registry the live calls, read by the active-calls gauge
   */
  public TelephonyMetrics(MeterRegistry meters, CallRegistry registry) {
    Gauge.builder("voicecall.calls.active", registry, CallRegistry::size)
        .description("calls in progress")
        .register(meters);
    framesIn =
        Counter.builder("voicecall.audio.frames.in")
            .description("audio frames received from callers")
            .register(meters);
    audioOut =
        Counter.builder("voicecall.audio.frames.out")
            .tag("content", "audio")
            .description("frames sent to callers")
            .register(meters);
    silenceOut =
        Counter.builder("voicecall.audio.frames.out")
            .tag("content", "silence")
            .description("frames sent to callers")
            .register(meters);
    dropped =
        Counter.builder("voicecall.audio.frames.dropped")
            .description("outbound frames a stalled transport could not take")
            .register(meters);
    protocolErrors =
        Counter.builder("voicecall.telephony.protocol.errors")
            .description("connections closed for breaking the protocol")
            .register(meters);
    jitter =
        Timer.builder("voicecall.frameclock.jitter")
            .description("how far each 20 ms tick ran from its ideal time")
            .publishPercentiles(0.5, 0.95, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1000))
            .maximumExpectedValue(Duration.ofMillis(200))
            .register(meters);
  }

  /** Counts one inbound audio frame. */
  public void frameIn() {
    framesIn.increment();
  }

  /** Counts one connection closed for a protocol error. */
  public void protocolError() {
    protocolErrors.increment();
  }

  @Override
  public void tick(long latenessNanos, int activeCalls) {
    jitter.record(latenessNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void frameSent(boolean silence) {
    (silence ? silenceOut : audioOut).increment();
  }

  @Override
  public void frameDropped() {
    dropped.increment();
  }
}
