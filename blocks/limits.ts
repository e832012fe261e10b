/** Block Kit's documented limits that our builders must respect. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionField: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  optionText: 75,
  privateMetadata: 3000,
  modalTitle: 24,
  messageText: 40000,
} as const;

interface AnyBlock {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ type: string; text?: string | { text: string }; value?: string; action_id?: string }>;
}

/** Every limit violation in a message's blocks, as readable lines (empty when the message is valid). */
export function limitViolations(blocks: readonly unknown[], maxBlocks: number = LIMITS.blocksPerMessage): string[] {
  const out: string[] = [];
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks > ${maxBlocks}`);
  (blocks as AnyBlock[]).forEach((b, i) => {
    const textMax = b.type === 'header' ? LIMITS.headerText : LIMITS.sectionText;
    if (b.text && b.text.text.length > textMax) out.push(`block ${i}: text ${b.text.text.length} > ${textMax}`);
    if (b.fields && b.fields.length > LIMITS.fieldsPerSection) out.push(`block ${i}: ${b.fields.length} fields`);
    for (const f of b.fields ?? []) if (f.text.length > LIMITS.sectionField) out.push(`block ${i}: field ${f.text.length} > ${LIMITS.sectionField}`);
    for (const e of b.elements ?? []) {
      if (e.type === 'button') {
        const label = typeof e.text === 'object' ? e.text.text : '';
        if (label.length > LIMITS.buttonText) out.push(`block ${i}: button text ${label.length}`);
        if ((e.value ?? '').length > LIMITS.buttonValue) out.push(`block ${i}: button value ${(e.value ?? '').length}`);
      }
      if ((e.action_id ?? '').length > LIMITS.actionId) out.push(`block ${i}: action_id too long`);
      if (b.type === 'context' && typeof e.text === 'string' && e.text.length > LIMITS.sectionText) out.push(`block ${i}: context text too long`);
    }
    if (b.type === 'context' && (b.elements?.length ?? 0) > LIMITS.contextElements) out.push(`block ${i}: too many context elements`);
  });
  return out;
}
