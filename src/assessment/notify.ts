// Telling the person the result (issue 4 §2: "… → result with its validity → the person is
// notified"): a consumer of `assessment.completed` writes a notification to the person's record
// in the dispatcher's transaction — once per event, however often it is delivered.
import type { Consumer, DomainEvent } from '../platform/outbox.ts';
import { notifyPerson } from '../people/index.ts';

export interface CompletedPayload {
  applicationId: string;
  personId: string;
  districtCode: string;
  reviewOf?: string | null;
  level: number;
  levelName: string;
  validFrom: string;
  validUntil: string;
  appealBy: string;
}

const zhDate = (d: string): string => {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};

/** The Chinese message: the level, how long it is valid, and how and by when to ask for a review. */
export function completedMessage(p: CompletedPayload): { title: string; body: string } {
  const title = p.reviewOf ? '您的老年人能力复核评估结果已出' : '您的老年人能力评估结果已出';
  const body =
    `评估结论：${p.levelName}（${p.level} 级）。结果有效期 ${zhDate(p.validFrom)} 至 ${zhDate(p.validUntil)}。` +
    (p.reviewOf
      ? '这是复核后的结果。'
      : `如对结果有异议，可在 ${zhDate(p.appealBy)} 前（含当日）向所在街道（镇）社区事务受理服务中心或养老顾问申请复核，由另一家评估机构重新评估。`);
  return { title, body };
}

/** The consumer that notifies the person when an assessment is completed. */
export const assessmentNotifier = (clock: () => Date): Consumer => ({
  name: 'assessment.notify-person',
  topics: ['assessment.completed'],
  async handle(event: DomainEvent, q) {
    const p = event.payload as unknown as CompletedPayload;
    const { title, body } = completedMessage(p);
    await notifyPerson(q, {
      personId: p.personId, districtCode: p.districtCode, kind: 'assessment.completed', title, body,
      data: { applicationId: p.applicationId, level: p.level, validUntil: p.validUntil, appealBy: p.appealBy },
      sourceEvent: event.id,
    }, clock());
  },
});
