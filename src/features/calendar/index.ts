export { calendarRoutes } from './calendar.routes.ts';
export { isoDateInLondon, addDays } from './domain/deadlines.ts';
