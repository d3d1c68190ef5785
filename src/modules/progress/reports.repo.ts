export const enrolmentProgress = () => undefined;
