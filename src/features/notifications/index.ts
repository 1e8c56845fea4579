export { notificationsRoutes } from './notifications.routes.ts';
export { serviceJobs, jobNames, sendNotifications, sendDigests, scanReminders } from './notifications.jobs.ts';
export { notifyRoles, notifyUsers } from './notify.ts';
