package voicecall.engine.stt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;

/**
 * Asks the knowledge index a recognised question and lets the recogniser's own doubt temper the
 * decision, so a misheard question is confirmed or asked again instead of answered wrongly. The
 * best hypothesis is asked as text, then two signals of the recognition are weighed:
 *
 * <ul>
 *   <li><b>n-best agreement</b>: how many of the transcript's n-best alternatives, asked on their
 *       own, land on the same entry (ANSWER or CLARIFY). Enough means at least {@code
 *       agreeingAlternatives}, or all of them when the transcript has fewer (a remote transcript
 *       has none);
 *   <li><b>word confidence</b>: the mean lattice posterior of the recognised words. A transcript
 *       without word hypotheses counts as fully confident here.
 * </ul>
 *
 * An ANSWER stands only with enough agreement and a mean word confidence of at least {@code
 * answerAt} ({@code noisyLineAnswerAt} for a transcript heard over a noisy line, {@link
 * Transcript#noisyLine()}: there the posteriors of wrong transcripts run higher); otherwise it
 * becomes CLARIFY on the same entry. A CLARIFY (from the index or from that step) becomes NONE, so
 * the caller is asked to say it again, when the mean word confidence is below {@code repeatBelow}
 * and the agreement is not enough: asking "did you mean ...?" about a guess from noise helps
 * nobody. NONE and HUMAN pass unchanged; an empty transcript is NONE without asking. A transcript
 * longer than the index takes (a monologue) is asked by its beginning. The defaults were tuned on
 * half of the recognition accuracy set and checked on the other half (STT-README.md).
 *
 * @param agreeingAlternatives how many n-best alternatives must agree with the best hypothesis
 * @param answerAt lowest mean word posterior, 0–1, for a direct ANSWER
 * @param repeatBelow mean word posterior, 0–1, below which an unbacked CLARIFY becomes NONE; at
 *     most {@code answerAt} and {@code noisyLineAnswerAt}
 * @param noisyLineAnswerAt lowest mean word posterior, 0–1, for a direct ANSWER to a transcript
 *     heard over a noisy line
 */
public record SpokenQuestionPolicy(
    int agreeingAlternatives, double answerAt, double repeatBelow, double noisyLineAnswerAt) {

  /**
   * Two agreeing alternatives, ANSWER from a mean word posterior of 0.4 (0.6 on a noisy line), NONE
   * below 0.25.
   */
  public static final SpokenQuestionPolicy DEFAULT = new SpokenQuestionPolicy(2, 0.4, 0.25, 0.6);

  /** Requires a non-negative count and {@code 0 <= repeatBelow <= answerAt <= 1}. */
  public SpokenQuestionPolicy {
    if (agreeingAlternatives < 0
        || !(0 <= repeatBelow && repeatBelow <= answerAt && answerAt <= 1)
        || !(repeatBelow <= noisyLineAnswerAt && noisyLineAnswerAt <= 1)) {
      throw new IllegalArgumentException(
          "need agreeingAlternatives >= 0, 0 <= repeatBelow <= answerAt <= 1 and repeatBelow <="
              + " noisyLineAnswerAt <= 1, was "
              + agreeingAlternatives
              + ", "
              + answerAt
              + ", "
              + repeatBelow
              + ", "
              + noisyLineAnswerAt);
    }
  }

  /**
   * A policy with the same threshold for direct answers on every line.
   *
   * @param agreeingAlternatives how many n-best alternatives must agree with the best hypothesis
   * @param answerAt lowest mean word posterior, 0–1, for a direct ANSWER
   * @param repeatBelow mean word posterior below which an unbacked CLARIFY becomes NONE
   */
  public SpokenQuestionPolicy(int agreeingAlternatives, double answerAt, double repeatBelow) {
    this(agreeingAlternatives, answerAt, repeatBelow, answerAt);
  }

  /**
   * A decision on a recognised question, with why a CLARIFY was asked where it matters to an
   * operator.
   *
   * @param answer the decision, as {@link #ask} returns it
   * @param noisyLineConfirmation true when {@code answer} is a CLARIFY only because the transcript
   *     came over a noisy line: the index answered, the alternatives agreed and the mean word
   *     posterior reached {@code answerAt}, but not {@code noisyLineAnswerAt}; on a clean line it
   *     would have been that ANSWER
   */
  public record Decided(Answer answer, boolean noisyLineConfirmation) {

    /** Requires a CLARIFY answer when {@code noisyLineConfirmation} is set. */
    public Decided {
      Objects.requireNonNull(answer, "answer");
      if (noisyLineConfirmation && answer.decision() != Decision.CLARIFY) {
        throw new IllegalArgumentException(
            "a noisy-line confirmation is a CLARIFY, not " + answer.decision());
      }
    }
  }

  /**
   * Decides on a recognised question.
   *
   * @param index the knowledge index to ask
   * @param transcript what the recogniser heard
   * @param language the caller's language
   * @return the index's answer for the best hypothesis, tempered as described above; NONE for an
   *     empty transcript
   */
  public Answer ask(KnowledgeIndex index, Transcript transcript, Language language) {
    return decide(index, transcript, language).answer();
  }

  /**
   * Decides on a recognised question as {@link #ask} does (asking the index as often), and says
   * whether the noisy-line threshold alone turned an ANSWER into a CLARIFY.
   *
   * @param index the knowledge index to ask
   * @param transcript what the recogniser heard
   * @param language the caller's language
   * @return the decision and whether it is a noisy-line confirmation
   */
  public Decided decide(KnowledgeIndex index, Transcript transcript, Language language) {
    if (transcript.isEmpty()) {
      return new Decided(
          new Answer(Decision.NONE, null, null, 0, List.of(), index.current().version()), false);
    }
    Answer best = index.ask(questionOf(transcript.text()), language);
    String entryId = best.entryId();
    if (entryId == null || best.answer() == null) {
      return new Decided(best, false); // NONE or HUMAN
    }
    double wordConfidence = meanWordConfidence(transcript);
    boolean agreed = agreeing(index, transcript, language, entryId);
    boolean backed = best.decision() == Decision.ANSWER && agreed;
    double answerFrom = transcript.noisyLine() ? noisyLineAnswerAt : answerAt;
    if (backed && wordConfidence >= answerFrom) {
      return new Decided(best, false);
    }
    if (!agreed && wordConfidence < repeatBelow) {
      List<Alternative> guesses = new ArrayList<>();
      guesses.add(new Alternative(entryId, best.score()));
      guesses.addAll(best.alternatives());
      return new Decided(
          new Answer(Decision.NONE, null, null, best.score(), guesses, best.version()), false);
    }
    return new Decided(
        new Answer(
            Decision.CLARIFY,
            entryId,
            best.answer(),
            best.score(),
            best.alternatives(),
            best.version()),
        transcript.noisyLine() && backed && wordConfidence >= answerAt);
  }

  /**
   * The words of a transcript the index takes: all of them, or for a monologue longer than {@link
   * KnowledgeIndex#MAX_QUESTION_CHARS} its beginning, cut at a word boundary.
   */
  static String questionOf(String text) {
    if (text.length() <= KnowledgeIndex.MAX_QUESTION_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf(' ', KnowledgeIndex.MAX_QUESTION_CHARS);
    return text.substring(0, cut > 0 ? cut : KnowledgeIndex.MAX_QUESTION_CHARS);
  }

  private static double meanWordConfidence(Transcript transcript) {
    List<WordHypothesis> words = transcript.words();
    if (words.isEmpty()) {
      return 1;
    }
    double sum = 0;
    for (WordHypothesis w : words) {
      sum += w.confidence();
    }
    return sum / words.size();
  }

  private boolean agreeing(
      KnowledgeIndex index, Transcript transcript, Language language, String entryId) {
    List<String> alternatives = transcript.alternatives();
    int needed = Math.min(agreeingAlternatives, alternatives.size());
    int agreeing = 0;
    for (String alternative : alternatives) {
      if (agreeing >= needed) {
        break;
      }
      if (alternative.length() > KnowledgeIndex.MAX_QUESTION_CHARS) {
        continue;
      }
      Answer a = index.ask(alternative, language);
      boolean lands = a.decision() == Decision.ANSWER || a.decision() == Decision.CLARIFY;
      if (lands && entryId.equals(a.entryId())) {
        agreeing++;
      }
    }
    return agreeing >= needed;
  }
}
