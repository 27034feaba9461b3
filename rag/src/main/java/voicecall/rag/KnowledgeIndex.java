package voicecall.rag;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The live knowledge base every call asks: holds the active {@link KnowledgeBase} version and
 * answers questions from it with the {@link DecisionPolicy}. A new version is built off to the side
 * and then {@link #swap swapped} in with a single atomic write, so questions asked during a rebuild
 * are answered from the old version and never from a half-built one.
 *
 * <p>Answers are cached by normalised question. The cache belongs to the version it was filled from
 * and is swapped together with it, so a swap invalidates exactly the answers of the old version,
 * and an answer computed from the old version can never land in the new version's cache.
 */
public final class KnowledgeIndex {

  /** Longest question accepted, in characters; a transcript of one spoken turn is far shorter. */
  public static final int MAX_QUESTION_CHARS = 1000;

  private static final int CANDIDATES = 4;
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

  private final DecisionPolicy policy;
  private final int cacheSize;
  private final AtomicReference<Active> active;

  private record Active(KnowledgeBase knowledge, Cache<String, Answer> answers) {}

  /**
   * Creates an index answering from an initial version.
   *
   * @param initial the first active version (e.g. {@link KnowledgeBase#empty()})
   * @param policy how scores become decisions
   * @param cacheSize how many answers to cache per version; 0 disables the cache
   */
  public KnowledgeIndex(KnowledgeBase initial, DecisionPolicy policy, int cacheSize) {
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be >= 0, was " + cacheSize);
    }
    this.policy = policy;
    this.cacheSize = cacheSize;
    this.active = new AtomicReference<>(activate(initial));
  }

  /**
   * The active version.
   *
   * @return the version calls are answered from now
   */
  public KnowledgeBase current() {
    return active().knowledge();
  }

  /**
   * Makes a fully built version the active one, together with a fresh answer cache.
   *
   * @param next the version to answer from from now on
   * @return the version it replaced
   */
  public KnowledgeBase swap(KnowledgeBase next) {
    return Objects.requireNonNull(active.getAndSet(activate(next))).knowledge();
  }

  /**
   * Answers a question: HUMAN if the caller asks for a person, otherwise the decision on the best
   * matching entries of the question's language.
   *
   * @param question what the caller said
   * @param language the caller's language, or null to detect it from the question
   * @return the answer; never null
   * @throws IllegalArgumentException if the question is longer than {@link #MAX_QUESTION_CHARS}
   */
  public Answer ask(String question, @Nullable Language language) {
    if (question.length() > MAX_QUESTION_CHARS) {
      throw new IllegalArgumentException(
          "question is " + question.length() + " characters, at most " + MAX_QUESTION_CHARS);
    }
    Active now = active();
    String normalised = normalise(question);
    Language lang = language != null ? language : Language.detect(normalised);
    String key = lang.code() + ':' + normalised;
    Answer cached = now.answers().getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Answer answer = decide(now.knowledge(), normalised, lang);
    now.answers().put(key, answer);
    return answer;
  }

  /**
   * How many answers the active version's cache holds (for metrics and tests).
   *
   * @return the estimated cache size
   */
  public long cachedAnswers() {
    return active().answers().estimatedSize();
  }

  private Answer decide(KnowledgeBase kb, String normalised, Language lang) {
    if (HumanRequest.isAskedFor(normalised)) {
      return new Answer(Decision.HUMAN, null, null, 0, List.of(), kb.version());
    }
    List<Candidate> candidates = kb.search(normalised, lang, CANDIDATES);
    Decision decision = policy.decide(candidates);
    if (candidates.isEmpty()) {
      return new Answer(Decision.NONE, null, null, 0, List.of(), kb.version());
    }
    Candidate best = candidates.get(0);
    List<Alternative> alternatives = new ArrayList<>();
    for (Candidate c : candidates.subList(1, candidates.size())) {
      alternatives.add(new Alternative(c.entryId(), c.confidence()));
    }
    if (decision == Decision.NONE) {
      return new Answer(Decision.NONE, null, null, best.confidence(), alternatives, kb.version());
    }
    Entry entry =
        kb.entry(best.entryId())
            .orElseThrow(() -> new IllegalStateException("index and entries disagree"));
    return new Answer(
        decision, entry.id(), entry.answer(), best.confidence(), alternatives, kb.version());
  }

  private Active active() {
    return Objects.requireNonNull(active.get());
  }

  private Active activate(KnowledgeBase kb) {
    return new Active(kb, Caffeine.newBuilder().maximumSize(cacheSize).build());
  }

  /** NFKC (full-width forms, compatibility jamo), lower case, one space between words. */
  static String normalise(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC)
        .toLowerCase(Locale.ROOT)
        .transform(t -> SPACES.matcher(t).replaceAll(" "))
        .strip();
  }
}
