import type { PackageActor } from './formats.js';

// One function per question; routes and services ask before they answer.
const holds = (u: PackageActor | null | undefined, ...roles: string[]) =>
  !!u && roles.some((r) => u.roles.includes(r));

/** Trainers, coordinators and admins upload packages. */
export const mayUploadPackages = (u: PackageActor | null | undefined) =>
  holds(u, 'trainer', 'coordinator', 'admin');

/** Coordinators and admins see and edit every package; trainers their own. */
export const maySeeAllPackages = (u: PackageActor | null | undefined) => holds(u, 'coordinator', 'admin');

export const mayEditPackage = (u: PackageActor | null | undefined, p: { owner_id: string }) =>
  maySeeAllPackages(u) || (!!u && p.owner_id === u.id && holds(u, 'trainer'));
