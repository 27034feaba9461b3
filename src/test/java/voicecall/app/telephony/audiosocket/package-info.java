/** Tests of {@code voicecall.app.telephony.audiosocket}. */
@NullMarked
package voicecall.app.telephony.audiosocket;

import org.jspecify.annotations.NullMarked;
