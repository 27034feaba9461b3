package voicecall.app.telephony;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;

/**
 * Measures outbound pacing with N concurrent callers over real sockets on this machine: the frame
 * clock's tick lateness (server side) and the spread of frame inter-arrival times as the callers
 * see them (client side, |gap - 20 ms|). Not a test: run it by hand, see src/TELEPHONY-README.md.
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
    try (TelephonyStack stack = new TelephonyStack(new ToneGreeting())) {
      List<UUID> ids = IntStream.range(0, calls).mapToObj(i -> UUID.randomUUID()).toList();
      List<AudioSocketCaller> callers =
          Objects.requireNonNull(
              Flux.fromIterable(ids)
                  .flatMap(
                      id ->
                          AudioSocketCaller.dial(
                              stack.audioSocketAddress(),
                              id,
                              Pcm.silence(8000, 20),
                              true,
                              stack.callers),
                      32)
                  .collectList()
                  .block(Duration.ofSeconds(60)));
      // warm-up, then measure from a clean clock histogram
      sleep(2000);
      long from = System.nanoTime();
      Timer before = stack.meters.get("voicecall.frameclock.jitter").timer();
      long ticksBefore = before.count();
      sleep(seconds * 1000L);
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
      Timer jitter = stack.meters.get("voicecall.frameclock.jitter").timer();
      System.out.printf(
          "calls=%d seconds=%d ticks=%d frames-received=%d (expected %d)%n",
          calls, seconds, jitter.count() - ticksBefore, frames, (long) calls * seconds * 50);
      StringBuilder server = new StringBuilder("frame clock tick lateness (whole run):");
      for (ValueAtPercentile p : jitter.takeSnapshot().percentileValues()) {
        server.append(
            String.format(" p%.0f=%.3f ms", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS)));
      }
      System.out.println(server);
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
