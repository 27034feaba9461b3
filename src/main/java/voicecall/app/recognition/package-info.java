/**
 * Speech recognition in the application: which recogniser serves a call's language ({@link
 * voicecall.app.recognition.LanguageRecognizers}: the local PocketSphinx one, a remote
 * OpenAI-compatible endpoint, or the remote one with the local one as fallback), the per-utterance
 * metrics, and {@code POST /api/v1/recognise}, which takes a WAV recording down the decision path
 * of {@code /api/v1/ask}.
 */
@NullMarked
package voicecall.app.recognition;

import org.jspecify.annotations.NullMarked;
