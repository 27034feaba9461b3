package voicecall.app.telephony;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.engine.call.ClockMetrics;

/**
 * Measures outbound pacing with N concurrent callers over real sockets on this machine: the frame
 * clock's tick gaps, |gap - 20 ms| (server side) and the spread of frame inter-arrival times as the
 * callers see them (client side, |gap - 20 ms|). Not a test: run it by hand, see
 * src/TELEPHONY-README.md.
 *
 * <p>Arguments: calls (default 30), seconds (default 20).
 */
public final class PacingBenchmark {

  private PacingBenchmark() {}

  /**
   * Runs the measurement and prints the percentiles.
   *
   * @param args calls, seconds
   */
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Histogram ticks = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong dropped = new AtomicLong();
    ClockMetrics observer =
        new ClockMetrics() {
          @Override
          public void tick(long latenessNanos, int activeCalls) {
            if (measuring.get()) {
              ticks.recordValue(latenessNanos / 1000);
            }
          }

          @Override
          public void frameSent(boolean silence) {}

          @Override
          public void frameDropped() {
            if (measuring.get()) {
              dropped.incrementAndGet();
            }
          }
        };
    try (TelephonyStack stack = new TelephonyStack(new ToneGreeting(), observer)) {
      List<AudioSocketCaller> callers =
          Objects.requireNonNull(
              stack.dialMany(calls, 32).collectList().block(Duration.ofSeconds(60)));
      // warm-up, then measure from a clean clock histogram
      sleep(2000);
      long from = System.nanoTime();
      measuring.set(true);
      sleep(seconds * 1000L);
      measuring.set(false);
      long to = System.nanoTime();

      Histogram gaps = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
      long frames = 0;
      for (AudioSocketCaller c : callers) {
        long previous = -1;
        for (ReceivedMessage m : c.audio()) {
          if (m.atNanos() < from || m.atNanos() > to) {
            continue;
          }
          frames++;
          if (previous >= 0) {
            gaps.recordValue(Math.abs((m.atNanos() - previous) / 1000 - 20_000));
          }
          previous = m.atNanos();
        }
      }
      System.out.printf(
          "calls=%d seconds=%d ticks=%d frames-received=%d (expected %d) frames-dropped=%d%n",
          calls,
          seconds,
          ticks.getTotalCount(),
          frames,
          (long) calls * seconds * 50,
          dropped.get());
      System.out.printf(
          "frame clock |tick gap-20ms|: p50=%.3f ms p95=%.3f ms p99=%.3f ms max=%.3f ms%n",
          ticks.getValueAtPercentile(50) / 1000.0,
          ticks.getValueAtPercentile(95) / 1000.0,
          ticks.getValueAtPercentile(99) / 1000.0,
          ticks.getMaxValue() / 1000.0);
      System.out.printf(
          "caller-side |gap-20ms|: p50=%.3f ms p95=%.3f ms p99=%.3f ms max=%.3f ms%n",
          gaps.getValueAtPercentile(50) / 1000.0,
          gaps.getValueAtPercentile(95) / 1000.0,
          gaps.getValueAtPercentile(99) / 1000.0,
          gaps.getMaxValue() / 1000.0);
      Flux.fromIterable(callers)
          .flatMap(AudioSocketCaller::hangUp)
          .blockLast(Duration.ofSeconds(30));
    }
  }

  @SuppressWarnings("ThreadSleep")
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
