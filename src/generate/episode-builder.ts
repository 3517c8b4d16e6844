import type { Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import { addDays, type PlainDate } from '../domain/plain-date.js';
import type { DatasetChoices } from './dataset-choices.js';
import type { Random } from './random.js';

/** A SIR before it gets its identifier. Doses and supervision are set only with an oral OST item. */
export interface PlannedReview {
  date: PlainDate;
  delivered: string[];
  methadoneDose?: number;
  buprenorphineDose?: number;
  supervision?: string;
  relapsePrevention?: string;
}

/** Dates of one intervention. `end` is undefined while it continues; `start` while the client waits. */
export interface InterventionDates {
  referral: PlainDate;
  firstOffered: PlainDate | undefined;
  start: PlainDate | undefined;
  end: PlainDate | undefined;
}

/**
 * The dates and outcome of one episode. `horizon` is the last date anything may carry:
 * the discharge date of a discharged episode, else the end of the reporting period.
 */
export interface EpisodeFrame {
  referral: PlainDate;
  triage: PlainDate;
  discharge: PlainDate | undefined;
  dischargeReason: string | undefined;
  successful: boolean;
  periodEnd: PlainDate;
  horizon: PlainDate;
}

/** Collects an episode's interventions and SIRs, then numbers them in date order. */
export class EpisodeBuilder {
  private readonly interventions: Intervention[] = [];
  private readonly reviews: PlannedReview[] = [];

  constructor(
    readonly frame: EpisodeFrame,
    readonly choices: DatasetChoices,
    private readonly columnOrder: ReadonlyMap<string, number>,
  ) {}

  /**
   * Places an intervention referred on `referral`, waiting up to `maxWaitDays` for its first
   * appointment. Dates past the horizon are left empty, as they would be on the extraction
   * date. Returns undefined when the referral itself falls past the horizon, or when a
   * discharged episode would be left with an intervention that never started.
   */
  place(random: Random, referral: PlainDate, maxWaitDays: number): InterventionDates | undefined {
    const { horizon } = this.frame;
    if (referral > horizon) return undefined;
    const offered = addDays(referral, random.integer(0, maxWaitDays));
    const start = addDays(offered, random.chance(0.7) ? 0 : random.integer(1, 7));
    if (this.frame.discharge !== undefined && start > horizon) return undefined;
    return {
      referral,
      firstOffered: offered <= horizon ? offered : undefined,
      start: start <= horizon ? start : undefined,
      end: undefined,
    };
  }

  addIntervention(type: string, setting: string, dates: InterventionDates, exitStatus: string | undefined): void {
    this.interventions.push({
      interventionId: '',
      interventionType: type,
      setting,
      referralDate: dates.referral,
      firstAppointmentOfferedDate: dates.firstOffered,
      startDate: dates.start,
      endDate: dates.end,
      exitStatus: dates.end === undefined ? undefined : exitStatus,
    });
  }

  /** Adds the SIRs dated up to the horizon; later ones have not happened yet. */
  addReviews(reviews: PlannedReview[]): void {
    for (const review of reviews) {
      if (review.date <= this.frame.horizon) this.reviews.push(review);
    }
  }

  /** Post-discharge SIRs are allowed past the discharge date, up to the end of the period. */
  addPostDischargeReviews(reviews: PlannedReview[]): void {
    for (const review of reviews) {
      if (this.isPostDischarge(review.date)) this.reviews.push(review);
    }
  }

  get hasRecords(): boolean {
    return this.interventions.length > 0 || this.reviews.length > 0;
  }

  /** Returns the last date any record of the episode carries, so that a later episode can start after it. */
  lastDate(): PlainDate {
    let last = this.frame.discharge ?? this.frame.triage;
    for (const review of this.reviews) if (review.date > last) last = review.date;
    return last;
  }

  build(episodeId: string): Episode {
    const interventions = [...this.interventions].sort((a, b) => compareDates(a.referralDate, b.referralDate) || compareDates(a.startDate, b.startDate));
    interventions.forEach((intervention, index) => (intervention.interventionId = `${episodeId}-M${index + 1}`));
    const reviews = [...this.reviews].sort((a, b) => compareDates(a.date, b.date));

    return {
      episodeId,
      referralDate: this.frame.referral,
      triageDate: this.frame.triage,
      dischargeDate: this.frame.discharge,
      dischargeReason: this.frame.dischargeReason,
      interventions,
      reviews: reviews.map((review, index) => this.toReview(review, `${episodeId}-S${index + 1}`)),
    };
  }

  private isPostDischarge(date: PlainDate): boolean {
    const { discharge, periodEnd } = this.frame;
    return discharge !== undefined && date > discharge && date <= periodEnd;
  }

  private toReview(planned: PlannedReview, reviewId: string): SubInterventionReview {
    const delivered = [...new Set(planned.delivered)].sort((a, b) => (this.columnOrder.get(a) ?? 0) - (this.columnOrder.get(b) ?? 0));
    return {
      reviewId,
      reviewDate: planned.date,
      delivered,
      methadoneDose: planned.methadoneDose,
      buprenorphineDose: planned.buprenorphineDose,
      ostSupervision: planned.supervision ?? this.choices.supervision.notApplicable,
      relapsePreventionPrescribing: planned.relapsePrevention,
    };
  }
}

function compareDates(a: PlainDate | undefined, b: PlainDate | undefined): number {
  return (a ?? '').localeCompare(b ?? '');
}
