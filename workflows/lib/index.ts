/** The transaction library: a saga builder and a TCC coordinator over one shared per-step state. */
export { describeFailure, SettleDeferred, TxAborted, type FailureInfo } from './failure';
export { runSaga, Saga, type SagaOutcome, type SagaStep } from './saga';
export { runSettlePlan, runTcc, type TccOptions, type TccParticipant } from './tcc';
export { Transaction, type CallPolicy, type StepSpec, type TransactionSpec } from './transaction';
export type {
  RetryTuning,
  SettleCallRef,
  SettlePlan,
  SettleResume,
  StepError,
  StepView,
  TxCoreState,
} from './types';
