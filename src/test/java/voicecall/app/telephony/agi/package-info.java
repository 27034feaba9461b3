/** Tests of {@code voicecall.app.telephony.agi}. */
@NullMarked
package voicecall.app.telephony.agi;

import org.jspecify.annotations.NullMarked;
