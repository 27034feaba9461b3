package voicecall.app.knowledge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import voicecall.rag.Entry;
import voicecall.rag.EntryDraft;
import voicecall.rag.InvalidKnowledgeException;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.KnowledgeRules;
import voicecall.rag.Language;
import voicecall.rag.RowProblem;

/**
 * Changes the knowledge base: validates, builds the new index off to the side, stores the new
 * version in one transaction and only then swaps the live index to it. Changes run one at a time
 * (each new version builds on the one before), while questions keep being answered from the active
 * version throughout. If anything fails before the commit, the database and the index are exactly
 * as they were.
 */
final class KnowledgeService {

  private static final Logger log = LoggerFactory.getLogger(KnowledgeService.class);

  private final KnowledgeStore store;
  private final KnowledgeIndex index;
  private final KnowledgeRules rules;
  private final Scheduler indexing;
  private final Duration timeout;
  private final KnowledgeActivations activations;

  /** The end of the last queued change; the next one waits for it. */
  private final AtomicReference<Mono<Void>> lastChange = new AtomicReference<>(Mono.empty());

  KnowledgeService(
      KnowledgeStore store,
      KnowledgeIndex index,
      KnowledgeRules rules,
      Scheduler indexing,
      Duration timeout,
      KnowledgeActivations activations) {
    this.store = store;
    this.index = index;
    this.rules = rules;
    this.indexing = indexing;
    this.timeout = timeout;
    this.activations = activations;
  }

  /** What a change produced. */
  record Result(int version, int entries, Map<String, Integer> byLanguage) {}

  /** Replaces the whole knowledge base with validated uploads. */
  Mono<Result> replace(List<EntryDraft> drafts, String source) {
    return Mono.fromCallable(() -> rules.validate(drafts))
        .subscribeOn(indexing)
        .flatMap(entries -> change(current -> entries, source, "replaced: " + entries.size()));
  }

  /** Adds one entry; its id must be new. */
  Mono<Result> add(EntryDraft draft) {
    return Mono.fromCallable(() -> rules.validateOne(draft))
        .flatMap(
            entry ->
                change(
                    current -> {
                      if (current.stream().anyMatch(e -> e.id().equals(entry.id()))) {
                        throw new InvalidKnowledgeException(
                            List.of(
                                new RowProblem(
                                    1, "id", "an entry with id '" + entry.id() + "' exists")));
                      }
                      List<Entry> next = new ArrayList<>(current);
                      next.add(entry);
                      return next;
                    },
                    "entry",
                    "added " + entry.id()));
  }

  /** Replaces the entry with the given id (creating it if absent). */
  Mono<Result> put(String id, EntryDraft draft) {
    return Mono.fromCallable(
            () -> {
              if (draft.id() != null && !draft.id().isBlank() && !id.equals(draft.id().strip())) {
                throw new InvalidKnowledgeException(
                    List.of(new RowProblem(1, "id", "id in the body differs from the path")));
              }
              return rules.validateOne(
                  new EntryDraft(
                      1, id, draft.questions(), draft.answer(), draft.tags(), draft.language()));
            })
        .flatMap(
            entry ->
                change(
                    current -> {
                      List<Entry> next = new ArrayList<>();
                      boolean replaced = false;
                      for (Entry e : current) {
                        if (e.id().equals(id)) {
                          next.add(entry);
                          replaced = true;
                        } else {
                          next.add(e);
                        }
                      }
                      if (!replaced) {
                        next.add(entry);
                      }
                      return next;
                    },
                    "entry",
                    "put " + id));
  }

  /** Removes an entry; 404 if the active version does not have it. */
  Mono<Result> delete(String id) {
    return change(
        current -> {
          if (current.stream().noneMatch(e -> e.id().equals(id))) {
            throw KnowledgeRequestException.notFound("no entry with id '" + id + "'");
          }
          return current.stream().filter(e -> !e.id().equals(id)).toList();
        },
        "entry",
        "deleted " + id);
  }

  /** Makes a stored version active again (rollback or roll forward). */
  Mono<Result> activate(int version) {
    return serialized(
        store
            .entries(version)
            .zipWith(
                store
                    .version(version)
                    .switchIfEmpty(
                        Mono.error(
                            () -> KnowledgeRequestException.notFound("no version " + version))))
            .flatMap(
                loaded ->
                    build(version, loaded.getT1())
                        .flatMap(
                            kb ->
                                store
                                    .activate(version)
                                    .doOnNext(
                                        ok -> {
                                          swapIn(kb);
                                          log.info("knowledge version {} activated", version);
                                        })
                                    .thenReturn(result(kb)))));
  }

  /**
   * Loads the active version into the index; on a database with no version at all, stores the
   * sample FAQ first (when given).
   */
  Mono<Result> loadAtStart(@Nullable List<EntryDraft> sample) {
    Mono<Result> load =
        store
            .activeVersion()
            .flatMap(
                version ->
                    store
                        .entries(version)
                        .flatMap(entries -> build(version, entries))
                        .map(
                            kb -> {
                              swapIn(kb);
                              return result(kb);
                            }));
    Mono<Result> seed =
        store
            .isEmpty()
            .flatMap(
                empty ->
                    empty && sample != null
                        ? replace(sample, "sample")
                        : Mono.fromSupplier(() -> result(index.current())));
    return load.switchIfEmpty(seed)
        .doOnNext(
            r ->
                log.info(
                    "knowledge version {} loaded: {} entries {}",
                    r.version(),
                    r.entries(),
                    r.byLanguage()));
  }

  private Mono<Result> change(UnaryOperator<List<Entry>> edit, String source, String note) {
    return serialized(
        Mono.defer(
            () -> {
              List<Entry> next = edit.apply(index.current().entries());
              if (next.size() > rules.maxEntries()) {
                return Mono.error(
                    new InvalidKnowledgeException(
                        List.of(
                            new RowProblem(
                                0, "*", "at most " + rules.maxEntries() + " entries allowed"))));
              }
              return store
                  .nextVersion()
                  .flatMap(
                      version ->
                          build(version, next)
                              .flatMap(
                                  kb ->
                                      store
                                          .saveActive(version, source, note, next)
                                          .then(
                                              Mono.fromSupplier(
                                                  () -> {
                                                    swapIn(kb);
                                                    log.info(
                                                        "knowledge version {} active ({})",
                                                        version,
                                                        note);
                                                    return result(kb);
                                                  }))));
            }));
  }

  /** Makes a built version the live one and tells whoever follows the activations. */
  private void swapIn(KnowledgeBase kb) {
    index.swap(kb);
    activations.activated(kb);
  }

  /** Builds an index on the indexing scheduler: CPU work that must not hold an event loop. */
  private Mono<KnowledgeBase> build(int version, List<Entry> entries) {
    return Mono.fromCallable(() -> KnowledgeBase.build(version, entries))
        .subscribeOn(indexing)
        .timeout(timeout);
  }

  /** Runs changes one after another, in the order they were subscribed. */
  private <T> Mono<T> serialized(Mono<T> work) {
    return Mono.defer(
        () -> {
          Sinks.Empty<Void> done = Sinks.empty();
          Mono<Void> previous = lastChange.getAndSet(done.asMono());
          return previous
              .onErrorResume(e -> Mono.empty())
              .then(work)
              .doFinally(signal -> done.tryEmitEmpty());
        });
  }

  private static Result result(KnowledgeBase kb) {
    Map<String, Integer> counts = new TreeMap<>();
    kb.countsByLanguage().forEach((lang, n) -> counts.put(lang.code(), n));
    return new Result((int) kb.version(), kb.entries().size(), Map.copyOf(counts));
  }

  /** Filters and pages the active version's entries (no database round trip). */
  Page entries(
      @Nullable Language lang, @Nullable String tag, @Nullable String text, int page, int size) {
    String needle = text == null ? null : text.strip().toLowerCase(Locale.ROOT);
    KnowledgeBase kb = index.current();
    List<Entry> matching =
        kb.entries().stream()
            .filter(e -> lang == null || e.language() == lang)
            .filter(e -> tag == null || e.tags().contains(tag))
            .filter(
                e ->
                    needle == null
                        || needle.isEmpty()
                        || e.id().toLowerCase(Locale.ROOT).contains(needle)
                        || e.answer().toLowerCase(Locale.ROOT).contains(needle)
                        || e.questions().stream()
                            .anyMatch(q -> q.toLowerCase(Locale.ROOT).contains(needle)))
            .toList();
    int from = (int) Math.min((long) page * size, matching.size());
    int to = Math.min(from + size, matching.size());
    return new Page(page, size, matching.size(), kb.version(), matching.subList(from, to));
  }

  /** A page of entries. */
  record Page(int page, int size, long total, long version, List<Entry> items) {}

  KnowledgeIndex index() {
    return index;
  }

  Mono<List<KnowledgeVersion>> versions() {
    return store.versions().collectList();
  }
}
