/** Text signals shared by the policy rules and the offline classifier. Pure, locale-agnostic; every matcher reads folded text. */
import { foldForMatching } from '../../core/text.ts';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Words, with unspaced CJK text counted at about two characters a word. */
export function wordCount(raw: string): number {
  const text = foldForMatching(raw);
  const cjk = text.match(CJK)?.length ?? 0;
  const rest = text.replace(CJK, ' ');
  return rest.split(/[\s,.;:!?()"'、。？！]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length + Math.ceil(cjk / 2);
}

export { matchPhrases } from './phrases.ts';

/**
 * Phrases that try to steer an automated reader. Their presence proves nothing about intent, but a
 * submission carrying them must never be routed or prioritised on the model's word alone.
 */
const INJECTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules?|guidelines?)/i,
  /\b(system prompt|developer message|you are now|act as (an?|the) )/i,
  /\b(mark|classify|flag|label|tag|set|treat)\b[^.\n]{0,30}\b(this|me|it|lead|message|submission)\b[^.\n]{0,30}\b(as |to )?(high[- ]priority|priority:? ?high|urgent|hot lead|qualified|buying|auto_route|sales[- ]ready|approved|pre-?approved|verified)/i,
  // "If an AI system is reading this first: …"
  /\b(AI|A\.I\.|LLM|GPT|language model|bot|assistant|automated (system|reader|screener|filter))( system| model| assistant| tool| screener)? (is |that is |that's )?(reading|screening|processing|triaging) this( (message|form|submission|e-?mail|note|text|lead))?( first)?\s*[:,.—-]/i,
  /\b(route|assign|send|forward|escalate)\b[^.\n]{0,25}\b(this|me|it)\b[^.\n]{0,25}\bto (the )?(sales|founder|ceo)\b[^.\n]{0,30}\b(immediately|directly|automatically|now|regardless)/i,
  /\b(recommended_action|fit_score|assigned_to|confidence)\s*[:=]/i,
  /<\/?(lead_submission|system|instructions?|assistant|user)>/i,
  /\b(AI|assistant|model|classifier|bot|LLM|GPT|Claude)\b[^.\n]{0,30}\b(must|should|shall|will)\b[^.\n]{0,40}\b(score|route|classify|prioriti[sz]e|mark|approve)/i,
  // A note addressed to whatever reads the form ("NOTE TO THE AI SCREENING THIS FORM: …").
  /\b(note|message|instructions?|attention|reminder)\s*(to|for)\s*(the|any|all)?\s*(AI|A\.I\.|assistants?|models?|classifiers?|bots?|LLMs?|GPT|Claude|screeners?|automated (system|reader|screener|filter)s?)\b/i,
  /\b(route|assign|send|forward|escalate)\b[^.\n]{0,25}\b(this|me|it)\b[^.\n]{0,15}\b(directly|straight|immediately|automatically)\s+to\s+(the\s+)?(sales|founder|ceo|an? account executive)\b/i,
  /\b(do not|don't|never)\s+(send|route|put|flag|escalate)\b[^.\n]{0,25}\b(to|for|into)\s+(a\s+|the\s+)?(human\s+)?review\b/i,
  /\b(confidence|confianza|confiance|confiança|konfidenz|fiducia)\s*(:|=|of|to|at|de|di|von|a)?\s*(1[.,]0+|100\s?%)/i,
  // A note to "the classification assistant" in other languages (es, fr, de, it, pt).
  /\b(para|pour|für|per|to|for)\s+(el|la|le|l['’]|den|die|das|il|o|the|any)?\s*(asistente|assistant|assistente|assistenten)\s+(de|di|du|des|of|for|für|zur|da)\s+(la\s+)?(clasificaci[oó]n|classification|classificazione|klassifizierung|classificação|triage|screening)/i,
  // Our output schema imitated, quoted or not: {"recommended_action": "auto_route_sales"}, `intent: buying`, final_action=…
  /["'`]?\b(intent|fit_score|fit_reasoning|confidence|recommended_action|assigned_to|summary_for_slack|final_action|needs_review)\b["'`]?\s*[:=]/i,
  /["'`]?\b(priority|route)\b["'`]?\s*[:=]\s*["'`]?(high|urgent|sales|founder)\b/i,
  /\b(auto_route_sales|auto_route_support|auto_reject_spam|human_review)\b/i,
  // Our own action names: nobody but an attacker writes them into a contact form.
  /\b(crm_upsert_contact|crm_add_note|crm_create_task|slack_post_lead|send_ack_email|reject_lead|assign_owner)\b/i,
  // A line addressed to the reader ("AI screener: …", "Assistant, …"), and notes to the AI in de, fr, es, it, pt.
  /(^|\n|\[|\()\s*(AI|A\.I\.|KI|IA|assistant|screener|classifier|bot|model)( screener| assistant)?\s*[:,]/i,
  /\b(hinweis|nachricht|anweisung|note|nota|remarque|aviso)\s+(an|für|à|a|para|per|pour)\s+(die|den|der|l'|la|el|il|o|a)?\s*(KI|IA|AI|assistent\w*|modell|modèle|modelo)\b/i,
  /\b(an|für)\s+(das|die|den)\s+KI\b|\b(to|for)\s+(the|any)\s+AI\b|\bà\s+l['’]IA\b|\b(para|a)\s+la\s+IA\b|\ball['’]IA\b/i,
  // The same instructions in other languages: "ignore the previous instructions", "you are now …", a note to the agent.
  /\b(ignorier\w*|ignore[rz]?|ignora|ignorar|ignoruj\w*|negeer)\b[^.\n]{0,40}\b(anweisungen|instruktionen|instructions|instrucciones|istruzioni|instruções|instrukcj\w*|instructies|regeln|règles|reglas|regole|regras)/i,
  /\b(du bist (jetzt|nun|ab sofort)|tu es (maintenant|désormais)|(ahora|a partir de ahora) eres|ora sei|agora (você é|és))\b/i,
  /\b(note|message|nachricht|hinweis|nota|remarque|aviso)\s+(to|for|an|für|à|a|para|per|pour)\s+(the|any|all|die|den|der|l['’]|la|el|il|o)?\s*(automated |automatic |ai |ki )?(agent|agente|agents)\b/i,
  // An instruction to "the AI assistant" in other languages: "instrucción para el asistente de IA", "KI-Assistent:", AIへの指示.
  /\b(para|pour|für|per|an|à|a|voor|aan)\s+(el|la|le|l['’]|den|die|das|il|lo|o|de|het)?\s*(asistente|assistant|assistente|assistent\w*|agente)\s+(de\s+|d['’]\s*|di\s+|da\s+|der\s+)?(la\s+|l['’]\s*)?(IA|KI)\b/i,
  /\b((asistente|assistant|assistente|assistent\w*|agente)\s+(de\s+|d['’]\s*|di\s+|da\s+)?(la\s+|l['’]\s*)?(IA|KI)|(KI|IA)[- ]?(assistent\w*|agent\w*))\s*[:,]/i,
  /\b(instrucci[oó]n|instrucciones|anweisung\w*|istruzion[ei]|instru[cç][aã]o|instruções|instructie\w*|consigne\w*)\s+(para|pour|für|per|an|à|a|voor|aan)\s+(el|la|le|l['’]|den|die|das|il|lo|o|a|de|het)?\s*(asistente|assistant|assistente|assistent\w*|modelo|modèle|modell|modello|model|IA|KI|bot)\b/i,
  /(AI|アシスタント|助手|어시스턴트|인공지능)\s*(への|に対する|に|给|給|的|에게|에 대한)?\s*(指示|指令|지시)/,
  // "To the AI reading this —", "ignore all previous instructions" in Japanese, Chinese and Korean.
  /(AI|アシスタント|助手|어시스턴트|인공지능)\s*(へ|에게)\s*[—:：,、-]|(読んでいる|阅读此|閱讀此|읽고 있는)\S{0,6}\s*(AI|アシスタント|助手|어시스턴트)/,
  /(以前|前|これまで|上記)の(指示|命令|指令)を(すべて|全て)?無視|(忽略|無視|无视)(之前|以前|上面|上述|所有)(的)?(所有)?(指令|指示|说明|說明)|(이전|앞의|모든)\s*(지시|명령|지침)\S{0,3}\s*(모두\s*)?무시/,
  // "Classify this contact as …", addressed to the reader, in es, fr, de, it, pt, nl.
  /\b(clasific[ae]|clasifiquen?|classez|classifiez|klassifiziere|classifica|classifique|classificeer)\b[^.\n]{0,30}\b(este|esta|ce|cette|cet|diese[nmrs]?|questo|questa|isto|dit|deze)\b[^.\n]{0,30}\b(como|comme|als|come)\b/i,
  // A chat transcript's role line, as a JSON payload: {"role": "system", "content": …}.
  /["'`]role["'`]\s*:\s*["'`](system|developer|assistant)["'`]/i,
];

/** Which steering patterns the (folded) text carries; their sources, never the submitter's words. */
export function injectionSignals(text: string): string[] {
  const folded = foldForMatching(text);
  return INJECTION_PATTERNS.filter((re) => re.test(folded)).map((re) => re.source.slice(0, 40));
}

/** Everything a submitter typed, in one string, for phrase rules. */
export function submissionText(lead: { message: string; company: string | null; name: string | null; website: string | null }): string {
  return [lead.message, lead.company ?? '', lead.name ?? '', lead.website ?? ''].join('\n');
}
