import type { z } from 'zod';
import { payloadOf, warn, type RenderContext } from '../context.ts';
import type { NotionBlock } from '../types.ts';
import { BLOCK_LEFT_OUT } from '../../../../contracts/documents.ts';

/**
 * Validates the block's payload; on mismatch the block is left out of the published text (a reader of the
 * trust center should never see our internals) and the warning lists it for the person importing.
 */
export function readPayload<T extends z.ZodType>(ctx: RenderContext, block: NotionBlock, schema: T): z.infer<T> | null {
  const parsed = schema.safeParse(payloadOf(block));
  if (parsed.success) return parsed.data;
  warn(ctx, block, BLOCK_LEFT_OUT, `A ${block.type.replaceAll('_', ' ')} block could not be read and was left out.`);
  return null;
}
