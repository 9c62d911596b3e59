/** The resident register import's replies: counts and masked addresses, never a person. */
import { Type, type Static } from 'typebox';

const Count = Type.Integer({ minimum: 0 });

export const RegisterSummary = Type.Object({
  residents: Count,
  matched: Type.Object({ exact: Count, normalised: Count, assigned: Count }, { description: 'Residents matched at each stage' }),
  unmatchedResidents: Count,
  matchRate: Type.Number({ minimum: 0, maximum: 1 }),
  buildingsWithResidents: Count,
  buildingsEmptied: Type.Integer({ description: 'Buildings of the register’s communities that no one registered lives in (set to 0 on commit)' }),
  totals: Type.Object({ households: Count, residents: Count, residents60Plus: Count, residents80Plus: Count }),
  communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), residents: Count, matchedResidents: Count })),
  unmatched: Type.Array(Type.Object({
    addressKey: Type.String({ description: 'The normalised address down to the building; send it back in `assignments`' }),
    communityCode: Type.String(),
    communityName: Type.String(),
    address: Type.String({ description: 'Community, compound and building (units listed); never a room or a name' }),
    units: Type.Array(Type.String()),
    residents: Count,
  })),
  unmatchedAddresses: Count,
});
export type RegisterSummary = Static<typeof RegisterSummary>;

export const RegisterCommitResult = Type.Intersect([RegisterSummary, Type.Object({ gridsRecounted: Count })]);
export type RegisterCommitResult = Static<typeof RegisterCommitResult>;

export const RegisterJob = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
  result: Type.Union([RegisterCommitResult, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  errorStatus: Type.Union([Type.Integer(), Type.Null()]),
  errorDetails: Type.Unknown(),
  errorCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorParams: Type.Optional(Type.Unknown()),
});

export const CommunityBuildings = Type.Array(Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  households: Count,
  residents: Count,
  residents60Plus: Count,
  residents80Plus: Count,
}));
