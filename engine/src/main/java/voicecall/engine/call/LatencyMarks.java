package voicecall.engine.call;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * Named points in time of one call ("speech-end", "first-frame-out", ...), taken from the call's
 * scheduler clock so tests can use virtual time. Thread-safe; bounded to {@value #LIMIT} marks so a
 * long call cannot grow it without end.
 */
public final class LatencyMarks {

  /** The most marks kept per call; later marks are ignored. */
  public static final int LIMIT = 1024;

  private final Scheduler clock;
  private final ConcurrentLinkedQueue<Mark> marks = new ConcurrentLinkedQueue<>();

  LatencyMarks(Scheduler clock) {
    this.clock = clock;
  }

  /**
   * One mark.
   *
   * @param name what happened
   * @param atNanos when, on the scheduler's clock in nanoseconds
   */
  public record Mark(String name, long atNanos) {
    /** Rejects a blank name. */
    public Mark {
      if (name.isBlank()) {
        throw new IllegalArgumentException("mark name must not be blank");
      }
    }
  }

  /**
   * Records that something happened now.
   *
   * @param name what happened
   * @return the mark, also kept in this call's list
   */
  public Mark mark(String name) {
    Mark m = new Mark(name, clock.now(TimeUnit.NANOSECONDS));
    if (marks.size() < LIMIT) {
      marks.add(m);
    }
    return m;
  }

  /** Returns every mark so far, oldest first. */
  public List<Mark> list() {
    return List.copyOf(marks);
  }

  /**
   * The time between the first mark named {@code from} and the first mark named {@code to} after
   * it.
   *
   * @param from the earlier mark's name
   * @param to the later mark's name
   * @return the duration, or empty when either mark is missing
   */
  public Optional<Duration> between(String from, String to) {
    Long start = null;
    for (Mark m : marks) {
      if (start == null && m.name().equals(from)) {
        start = m.atNanos();
      } else if (start != null && m.name().equals(to)) {
        return Optional.of(Duration.ofNanos(m.atNanos() - start));
      }
    }
    return Optional.empty();
  }
}
