package voicecall.app.speech;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import voicecall.app.config.VoiceCallProperties;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.AudioCache;
import voicecall.tts.AudioCacheStats;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.PrerenderReport;
import voicecall.tts.Synthesizer;
import voicecall.tts.Voice;

/**
 * Keeps the audio cache filled for the active knowledge version: at start it warms the synthesisers
 * up, then, for every activated version (start, upload, edit, rollback), synthesises each answer in
 * its language and the fixed prompts of both languages into the cache, in the background. A newer
 * activation cancels the run still going ({@code switchMap}); nothing here blocks an upload
 * response or an event loop: planning runs on the {@code speech-prerender} scheduler and synthesis
 * on the synthesisers' own bounded workers.
 */
public final class SpeechPrerender implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(SpeechPrerender.class);

  private final Flux<KnowledgeBase> activations;
  private final Synthesizer synthesizer;
  private final OrderedSynthesis synthesis;
  private final AudioCache cache;
  private final VoiceCallProperties.Prompts prompts;
  private final Scheduler scheduler;
  private final MeterRegistry registry;
  private final boolean enabled;

  private final Sinks.Many<PrerenderStatus> statuses = Sinks.many().replay().latest();
  private final AtomicReference<@Nullable PrerenderStatus> latest = new AtomicReference<>();
  private final AtomicReference<@Nullable Disposable> running = new AtomicReference<>();
  private volatile boolean stopping;

  SpeechPrerender(
      Flux<KnowledgeBase> activations,
      Synthesizer synthesizer,
      OrderedSynthesis synthesis,
      AudioCache cache,
      VoiceCallProperties.Prompts prompts,
      Scheduler scheduler,
      MeterRegistry registry,
      boolean enabled) {
    this.activations = activations;
    this.synthesizer = synthesizer;
    this.synthesis = synthesis;
    this.cache = cache;
    this.prompts = prompts;
    this.scheduler = scheduler;
    this.registry = registry;
    this.enabled = enabled;
    // Registered up front so a scrape shows them before the first run ends.
    for (String outcome : List.of("done", "superseded", "cancelled", "failed")) {
      runs(outcome);
    }
    for (String result : List.of("rendered", "cached", "failed")) {
      sentenceCounter(result);
    }
  }

  /**
   * The status of the newest run, then every change; a subscriber first gets the current one.
   *
   * @return the statuses; empty until the first run starts
   */
  public Flux<PrerenderStatus> statuses() {
    return statuses.asFlux();
  }

  /**
   * The status of the newest run.
   *
   * @return the status, or null before the first run
   */
  public @Nullable PrerenderStatus latest() {
    return latest.get();
  }

  /** Starts the warm-up and follows the activations; returns at once. */
  @Override
  public void start() {
    stopping = false;
    Mono<Void> warmUp =
        Mono.defer(
                () -> {
                  long started = System.nanoTime();
                  return synthesizer
                      .warmUp()
                      .doOnSuccess(
                          v ->
                              log.info(
                                  "speech synthesisers warmed up in {} ms ({})",
                                  (System.nanoTime() - started) / 1_000_000,
                                  synthesizer.name()));
                })
            .onErrorResume(
                e -> {
                  log.warn("speech warm-up failed, first sentences may be slow: {}", e.toString());
                  return Mono.empty();
                });
    Flux<PrerenderStatus> runs =
        enabled ? warmUp.thenMany(activations.switchMap(this::run)) : warmUp.thenMany(Flux.empty());
    running.set(
        runs.subscribe(
            status -> {},
            e -> log.error("speech pre-rendering stopped following the knowledge", e)));
  }

  /** One run for one version; cancelled by the next activation or at stop. */
  Mono<PrerenderStatus> run(KnowledgeBase knowledge) {
    return Mono.defer(
            () -> {
              long started = System.nanoTime();
              // Set once the run has reported its end, so a late cancel cannot report it again.
              AtomicBoolean ended = new AtomicBoolean();
              long evictionsBefore = cache.stats().evictions();
              PrerenderPlan plan = PrerenderPlan.of(knowledge, prompts);
              publish(
                  status(plan, PrerenderStatus.State.RUNNING, List.of(), started, evictionsBefore));
              return Flux.fromIterable(plan.texts().entrySet())
                  .concatMap(e -> synthesis.prerender(e.getValue(), Voice.of(e.getKey())), 1)
                  .collectList()
                  .<PrerenderStatus>handle(
                      (reports, sink) -> {
                        if (ended.compareAndSet(false, true)) {
                          sink.next(finish(plan, reports, started, evictionsBefore));
                        }
                      })
                  .doOnCancel(
                      () -> {
                        if (ended.compareAndSet(false, true)) {
                          cancelled(plan, started, evictionsBefore);
                        }
                      })
                  .onErrorResume(
                      e -> {
                        ended.set(true);
                        log.error("pre-rendering knowledge version {} failed", plan.version(), e);
                        count("failed");
                        return Mono.just(
                            publish(
                                status(
                                    plan,
                                    PrerenderStatus.State.FAILED,
                                    List.of(),
                                    started,
                                    evictionsBefore)));
                      });
            })
        .subscribeOn(scheduler)
        // A run that cannot even start (its plan failed) must not stop the following runs.
        .onErrorResume(
            e -> {
              log.error(
                  "pre-rendering knowledge version {} could not start", knowledge.version(), e);
              count("failed");
              return Mono.empty();
            });
  }

  private PrerenderStatus finish(
      PrerenderPlan plan, List<PrerenderReport> reports, long started, long evictionsBefore) {
    PrerenderStatus status =
        status(plan, PrerenderStatus.State.DONE, reports, started, evictionsBefore);
    count("done");
    Timer.builder("voicecall.tts.prerender.duration")
        .description("Time to pre-render one knowledge version")
        .register(registry)
        .record(status.elapsed());
    sentences("rendered", status.rendered());
    sentences("cached", status.alreadyCached());
    sentences("failed", status.failed());
    log.info(
        "pre-rendered knowledge version {} in {} ms: {} answers and {} prompts, {} distinct"
            + " sentences: {} rendered, {} already cached, {} failed{}",
        plan.version(),
        status.elapsed().toMillis(),
        plan.answers(),
        plan.prompts(),
        status.sentences(),
        status.rendered(),
        status.alreadyCached(),
        status.failed(),
        status.failures().isEmpty() ? "" : "; first failures: " + status.failures());
    if (status.evicted() > 0) {
      AudioCacheStats stats = cache.stats();
      log.warn(
          "the audio cache is too small for knowledge version {}: {} sentences were evicted while"
              + " pre-rendering (holds {} KB of {} KB); those answers will be synthesised during"
              + " calls: raise voicecall.tts.cache-max-bytes",
          plan.version(),
          status.evicted(),
          stats.bytes() >> 10,
          stats.maxBytes() >> 10);
    }
    return publish(status);
  }

  private void cancelled(PrerenderPlan plan, long started, long evictionsBefore) {
    PrerenderStatus.State state =
        stopping ? PrerenderStatus.State.CANCELLED : PrerenderStatus.State.SUPERSEDED;
    count(state == PrerenderStatus.State.CANCELLED ? "cancelled" : "superseded");
    PrerenderStatus status = publish(status(plan, state, List.of(), started, evictionsBefore));
    log.info(
        "pre-rendering knowledge version {} {} after {} ms",
        plan.version(),
        state == PrerenderStatus.State.CANCELLED ? "cancelled at stop" : "superseded",
        status.elapsed().toMillis());
  }

  private PrerenderStatus status(
      PrerenderPlan plan,
      PrerenderStatus.State state,
      List<PrerenderReport> reports,
      long started,
      long evictionsBefore) {
    int sentences = 0;
    int rendered = 0;
    int cached = 0;
    List<String> failures = new ArrayList<>();
    for (PrerenderReport report : reports) {
      sentences += report.sentences();
      rendered += report.rendered();
      cached += report.alreadyCached();
      failures.addAll(report.failures());
    }
    return new PrerenderStatus(
        plan.version(),
        state,
        plan.answers(),
        plan.prompts(),
        sentences,
        rendered,
        cached,
        failures.size(),
        Math.max(0, cache.stats().evictions() - evictionsBefore),
        failures,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Runs end on synthesis workers while a newer activation or a stop cancels from another thread:
   * the lock serialises the emissions (it guards no I/O, only the sink).
   */
  private PrerenderStatus publish(PrerenderStatus status) {
    synchronized (statuses) {
      latest.set(status);
      statuses.tryEmitNext(status).orThrow();
    }
    return status;
  }

  private void count(String outcome) {
    runs(outcome).increment();
  }

  private Counter runs(String outcome) {
    return Counter.builder("voicecall.tts.prerender.runs")
        .description("Pre-render runs by how they ended")
        .tag("outcome", outcome)
        .register(registry);
  }

  private void sentences(String result, int n) {
    sentenceCounter(result).increment(n);
  }

  private Counter sentenceCounter(String result) {
    return Counter.builder("voicecall.tts.prerender.sentences")
        .description("Distinct sentences handled by pre-rendering")
        .tag("result", result)
        .register(registry);
  }

  /** Cancels the run still going. */
  @Override
  public void stop() {
    stopping = true;
    Disposable current = running.getAndSet(null);
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running.get() != null;
  }
}
