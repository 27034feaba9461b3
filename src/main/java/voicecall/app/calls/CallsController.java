package voicecall.app.calls;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;

/**
 * Call records and insight: {@code /api/v1/calls}, {@code /api/v1/calls/{id}}, {@code
 * /api/v1/unanswered} and {@code /api/v1/stats}. Thin: validates the parameters, asks the {@link
 * CallStore} and shapes the answer; errors are problem details ({@link CallsProblems}). Times are
 * ISO-8601 instants; {@code from} is inclusive and {@code to} exclusive, on the call's start.
 */
@RestController
@RequestMapping("/api/v1")
@ConditionalOnProperty(
    name = "voicecall.calls.enabled",
    havingValue = "true",
    matchIfMissing = true)
class CallsController {

  static final int MAX_PAGE_SIZE = 200;
  static final int MAX_GROUPS = 500;

  private final CallStore store;
  private final VoiceCallProperties.Calls config;

  CallsController(CallStore store, VoiceCallProperties properties) {
    this.store = store;
    this.config = properties.calls();
  }

  /** Calls, newest first, paged and filtered. */
  @GetMapping("/calls")
  Mono<PageView> calls(
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false) @Nullable String outcome,
      @RequestParam(required = false) @Nullable String externalId,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return Mono.defer(
        () -> {
          if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw badRequest("page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
          }
          CallStore.Filter filter =
              new CallStore.Filter(
                  time("from", from, Instant.EPOCH),
                  time("to", to, Instant.ofEpochMilli(Long.MAX_VALUE)),
                  outcome(outcome),
                  externalId == null || externalId.isBlank() ? null : externalId.strip());
          checkRange(filter);
          return store
              .page(filter, page, size)
              .map(
                  p ->
                      new PageView(
                          page,
                          size,
                          p.total(),
                          p.items().stream()
                              .map(s -> CallView.of(s.call(), s.turnCount()))
                              .toList()));
        });
  }

  /** One call with its turns. */
  @GetMapping("/calls/{id}")
  Mono<CallDetail> call(@PathVariable String id) {
    return store
        .find(id)
        .map(CallDetail::of)
        .switchIfEmpty(Mono.error(() -> notFound("no call with id '" + id + "'")));
  }

  /** Questions answered NONE or HUMAN, grouped by similarity, most frequent first. */
  @GetMapping("/unanswered")
  Mono<UnansweredView> unanswered(
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false) @Nullable Double similarity,
      @RequestParam(defaultValue = "50") int limit) {
    return Mono.defer(
        () -> {
          double threshold = similarity == null ? config.unansweredSimilarity() : similarity;
          if (!(threshold > 0 && threshold <= 1)) {
            throw badRequest("similarity must be above 0 and at most 1, was " + similarity);
          }
          if (limit < 1 || limit > MAX_GROUPS) {
            throw badRequest("limit must be 1 to " + MAX_GROUPS);
          }
          CallStore.Filter filter = range(from, to);
          return store
              .unanswered(filter, config.unansweredScan())
              .collectList()
              .map(
                  rows -> {
                    List<UnansweredGroups.Group> groups = UnansweredGroups.group(rows, threshold);
                    return new UnansweredView(
                        rows.size(), threshold, groups.stream().limit(limit).toList());
                  });
        });
  }

  /** Containment, transfer and answer rates and voice-to-voice percentiles. */
  @GetMapping("/stats")
  Mono<StatsView> stats(
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to) {
    return Mono.defer(
        () -> {
          CallStore.Filter filter = range(from, to);
          return Mono.zip(
                  store.outcomes(filter),
                  store.decisions(filter),
                  store.voiceToVoice(filter, 0.5, 0.95, 0.99))
              .map(t -> StatsView.of(t.getT1(), t.getT2(), t.getT3()));
        });
  }

  private static ErrorResponseException badRequest(String detail) {
    return problem(HttpStatus.BAD_REQUEST, "Bad request", detail);
  }

  private static ErrorResponseException notFound(String detail) {
    return problem(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    return new ErrorResponseException(status, problem, null);
  }

  private static CallStore.Filter range(@Nullable String from, @Nullable String to) {
    CallStore.Filter filter =
        new CallStore.Filter(
            time("from", from, Instant.EPOCH),
            time("to", to, Instant.ofEpochMilli(Long.MAX_VALUE)),
            null,
            null);
    checkRange(filter);
    return filter;
  }

  private static void checkRange(CallStore.Filter filter) {
    if (!filter.from().isBefore(filter.to())) {
      throw badRequest("from must be before to");
    }
  }

  private static Instant time(String name, @Nullable String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      Instant t = Instant.parse(value.strip());
      if (t.isBefore(Instant.EPOCH) || t.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))) {
        throw badRequest(name + " is out of range: " + value);
      }
      return t;
    } catch (DateTimeParseException e) {
      throw badRequest(
          name + " must be an ISO-8601 instant such as 2026-01-31T09:00:00Z, was '" + value + "'");
    }
  }

  private static @Nullable CallOutcome outcome(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return CallOutcome.parse(value)
        .orElseThrow(
            () ->
                badRequest(
                    "unknown outcome '"
                        + value
                        + "' (use answered, transferred, abandoned or error)"));
  }

  /** The Asterisk-side ids of a call. */
  record ExternalIds(String audiosocket, String channel, String uniqueId) {}

  /** A call as listed. */
  record CallView(
      String id,
      ExternalIds externalIds,
      String adapter,
      String language,
      Instant startedAt,
      Instant endedAt,
      long durationMs,
      String outcome,
      String hangupCause,
      int turns) {
    static CallView of(CallRecord c, int turns) {
      return new CallView(
          c.id(),
          new ExternalIds(c.id(), c.origin().channel(), c.origin().uniqueId()),
          c.origin().adapter(),
          c.language(),
          c.startedAt(),
          c.endedAt(),
          c.endedAt().toEpochMilli() - c.startedAt().toEpochMilli(),
          c.outcome().wire(),
          c.hangupCause(),
          turns);
    }
  }

  /** A turn with its latency marks. */
  record TurnView(
      int index,
      String heard,
      String decision,
      @Nullable String entryId,
      @Nullable Double score,
      Instant speechEndedAt,
      Instant recognisedAt,
      Instant decidedAt,
      @Nullable Instant firstAudioAt,
      @Nullable Long voiceToVoiceMs) {
    static TurnView of(TurnRecord t) {
      return new TurnView(
          t.index(),
          t.heard(),
          t.decision(),
          t.entryId(),
          t.score(),
          t.speechEnded(),
          t.recognised(),
          t.decided(),
          t.firstAudio(),
          t.voiceToVoiceMillis());
    }
  }

  /** A call with its turns. */
  record CallDetail(CallView call, List<TurnView> turns) {
    static CallDetail of(CallRecord c) {
      return new CallDetail(
          CallView.of(c, c.turns().size()), c.turns().stream().map(TurnView::of).toList());
    }
  }

  /** A page of calls. */
  record PageView(int page, int size, long total, List<CallView> items) {}

  /** Grouped unanswered questions. */
  record UnansweredView(int questions, double similarity, List<UnansweredGroups.Group> groups) {}

  /** Voice-to-voice percentiles in milliseconds; null when no turn was measured. */
  record Latency(long turns, @Nullable Long p50, @Nullable Long p95, @Nullable Long p99) {}

  /**
   * The figures of the calls in a time range. Rates are null when there is nothing to divide by.
   */
  record StatsView(
      long calls,
      Map<String, Long> outcomes,
      @Nullable Double containmentRate,
      @Nullable Double transferRate,
      long turns,
      long answeredTurns,
      @Nullable Double answerRate,
      Latency voiceToVoiceMs) {
    static StatsView of(
        Map<String, Long> outcomes, Map<String, Long> decisions, CallStore.Percentiles v2v) {
      long calls = outcomes.values().stream().mapToLong(Long::longValue).sum();
      long turns = decisions.values().stream().mapToLong(Long::longValue).sum();
      long answeredTurns = decisions.getOrDefault("ANSWER", 0L);
      Map<String, Long> byOutcome = new java.util.LinkedHashMap<>();
      for (CallOutcome o : CallOutcome.values()) {
        byOutcome.put(o.wire(), outcomes.getOrDefault(o.wire(), 0L));
      }
      List<Long> p = v2v.values();
      return new StatsView(
          calls,
          byOutcome,
          rate(byOutcome.get("answered"), calls),
          rate(byOutcome.get("transferred"), calls),
          turns,
          answeredTurns,
          rate(answeredTurns, turns),
          p.isEmpty()
              ? new Latency(0, null, null, null)
              : new Latency(v2v.count(), p.get(0), p.get(1), p.get(2)));
    }

    private static @Nullable Double rate(@Nullable Long part, long whole) {
      return whole == 0 || part == null ? null : (double) part / whole;
    }
  }
}
