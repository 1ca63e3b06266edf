/**
 * Protobuf message descriptions: admissionregistration/v1, authentication/v1 and v1beta1, authorization/v1.
 * Notation and sources: `../table.ts`.
 */
import type { PackageTable } from '../table.js';

export const admissionregistrationV1: PackageTable = {
  ApplyConfiguration: 'expression=1:string',
  AuditAnnotation: 'key=1:string! valueExpression=2:string!',
  ExpressionWarning: 'fieldRef=2:string! warning=3:string!',
  JSONPatch: 'expression=1:string',
  MatchCondition: 'name=1:string! expression=2:string!',
  MatchResources:
    'namespaceSelector=1:meta.v1.LabelSelector objectSelector=2:meta.v1.LabelSelector resourceRules=3:NamedRuleWithOperations[] excludeResourceRules=4:NamedRuleWithOperations[] matchPolicy=7:string?',
  MutatingAdmissionPolicy: 'metadata=1:meta.v1.ObjectMeta spec=2:MutatingAdmissionPolicySpec',
  MutatingAdmissionPolicyBinding:
    'metadata=1:meta.v1.ObjectMeta spec=2:MutatingAdmissionPolicyBindingSpec',
  MutatingAdmissionPolicyBindingList:
    'metadata=1:meta.v1.ListMeta items=2:MutatingAdmissionPolicyBinding[]',
  MutatingAdmissionPolicyBindingSpec:
    'policyName=1:string paramRef=2:ParamRef matchResources=3:MatchResources',
  MutatingAdmissionPolicyList: 'metadata=1:meta.v1.ListMeta items=2:MutatingAdmissionPolicy[]',
  MutatingAdmissionPolicySpec:
    'paramKind=1:ParamKind matchConstraints=2:MatchResources variables=3:Variable[] mutations=4:Mutation[] failurePolicy=5:string? matchConditions=6:MatchCondition[] reinvocationPolicy=7:string',
  MutatingWebhook:
    'name=1:string! clientConfig=2:WebhookClientConfig rules=3:RuleWithOperations[] failurePolicy=4:string? namespaceSelector=5:meta.v1.LabelSelector sideEffects=6:string? timeoutSeconds=7:int32? admissionReviewVersions=8:string[] matchPolicy=9:string? reinvocationPolicy=10:string? objectSelector=11:meta.v1.LabelSelector matchConditions=12:MatchCondition[]',
  MutatingWebhookConfiguration: 'metadata=1:meta.v1.ObjectMeta webhooks=2:MutatingWebhook[]',
  MutatingWebhookConfigurationList:
    'metadata=1:meta.v1.ListMeta items=2:MutatingWebhookConfiguration[]',
  Mutation: 'patchType=2:string! applyConfiguration=3:ApplyConfiguration jsonPatch=4:JSONPatch',
  NamedRuleWithOperations: 'resourceNames=1:string[] ruleWithOperations=2:RuleWithOperations~',
  ParamKind: 'apiVersion=1:string kind=2:string',
  ParamRef:
    'name=1:string namespace=2:string selector=3:meta.v1.LabelSelector parameterNotFoundAction=4:string?',
  Rule: 'apiGroups=1:string[] apiVersions=2:string[] resources=3:string[] scope=4:string?',
  RuleWithOperations: 'operations=1:string[] rule=2:Rule~',
  ServiceReference: 'namespace=1:string! name=2:string! path=3:string? port=4:int32?',
  TypeChecking: 'expressionWarnings=1:ExpressionWarning[]',
  ValidatingAdmissionPolicy:
    'metadata=1:meta.v1.ObjectMeta spec=2:ValidatingAdmissionPolicySpec status=3:ValidatingAdmissionPolicyStatus',
  ValidatingAdmissionPolicyBinding:
    'metadata=1:meta.v1.ObjectMeta spec=2:ValidatingAdmissionPolicyBindingSpec',
  ValidatingAdmissionPolicyBindingList:
    'metadata=1:meta.v1.ListMeta items=2:ValidatingAdmissionPolicyBinding[]',
  ValidatingAdmissionPolicyBindingSpec:
    'policyName=1:string paramRef=2:ParamRef matchResources=3:MatchResources validationActions=4:string[]',
  ValidatingAdmissionPolicyList: 'metadata=1:meta.v1.ListMeta items=2:ValidatingAdmissionPolicy[]',
  ValidatingAdmissionPolicySpec:
    'paramKind=1:ParamKind matchConstraints=2:MatchResources validations=3:Validation[] failurePolicy=4:string? auditAnnotations=5:AuditAnnotation[] matchConditions=6:MatchCondition[] variables=7:Variable[]',
  ValidatingAdmissionPolicyStatus:
    'observedGeneration=1:int64 typeChecking=2:TypeChecking conditions=3:meta.v1.Condition[]',
  ValidatingWebhook:
    'name=1:string! clientConfig=2:WebhookClientConfig rules=3:RuleWithOperations[] failurePolicy=4:string? namespaceSelector=5:meta.v1.LabelSelector sideEffects=6:string? timeoutSeconds=7:int32? admissionReviewVersions=8:string[] matchPolicy=9:string? objectSelector=10:meta.v1.LabelSelector matchConditions=11:MatchCondition[]',
  ValidatingWebhookConfiguration: 'metadata=1:meta.v1.ObjectMeta webhooks=2:ValidatingWebhook[]',
  ValidatingWebhookConfigurationList:
    'metadata=1:meta.v1.ListMeta items=2:ValidatingWebhookConfiguration[]',
  Validation: 'expression=1:string! message=2:string reason=3:string? messageExpression=4:string',
  Variable: 'name=1:string! expression=2:string!',
  WebhookClientConfig: 'service=1:ServiceReference caBundle=2:bytes url=3:string?',
};

export const authenticationV1: PackageTable = {
  BoundObjectReference: 'kind=1:string apiVersion=2:string name=3:string uid=4:string',
  ExtraValue: 'items=1:string[]',
  SelfSubjectReview: 'metadata=1:meta.v1.ObjectMeta status=2:SelfSubjectReviewStatus',
  SelfSubjectReviewStatus: 'userInfo=1:UserInfo',
  TokenRequest: 'metadata=1:meta.v1.ObjectMeta spec=2:TokenRequestSpec status=3:TokenRequestStatus',
  TokenRequestSpec:
    'audiences=1:string[] boundObjectRef=3:BoundObjectReference expirationSeconds=4:int64?',
  TokenRequestStatus: 'token=1:string! expirationTimestamp=2:meta.v1.Time',
  TokenReview: 'metadata=1:meta.v1.ObjectMeta spec=2:TokenReviewSpec status=3:TokenReviewStatus',
  TokenReviewSpec: 'token=1:string audiences=2:string[]',
  TokenReviewStatus: 'authenticated=1:bool user=2:UserInfo error=3:string audiences=4:string[]',
  UserInfo: 'username=1:string uid=2:string groups=3:string[] extra=4:{ExtraValue}',
};

export const authenticationV1beta1: PackageTable = {
  SelfSubjectReview: 'metadata=1:meta.v1.ObjectMeta status=2:SelfSubjectReviewStatus',
  SelfSubjectReviewStatus: 'userInfo=1:authentication.v1.UserInfo',
};

export const authorizationV1: PackageTable = {
  ExtraValue: 'items=1:string[]',
  FieldSelectorAttributes: 'rawSelector=1:string requirements=2:meta.v1.FieldSelectorRequirement[]',
  LabelSelectorAttributes: 'rawSelector=1:string requirements=2:meta.v1.LabelSelectorRequirement[]',
  LocalSubjectAccessReview:
    'metadata=1:meta.v1.ObjectMeta spec=2:SubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  NonResourceAttributes: 'path=1:string verb=2:string',
  NonResourceRule: 'verbs=1:string[] nonResourceURLs=2:string[]',
  ResourceAttributes:
    'namespace=1:string verb=2:string group=3:string version=4:string resource=5:string subresource=6:string name=7:string fieldSelector=8:FieldSelectorAttributes labelSelector=9:LabelSelectorAttributes',
  ResourceRule:
    'verbs=1:string[] apiGroups=2:string[] resources=3:string[] resourceNames=4:string[]',
  SelfSubjectAccessReview:
    'metadata=1:meta.v1.ObjectMeta spec=2:SelfSubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  SelfSubjectAccessReviewSpec:
    'resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes',
  SelfSubjectRulesReview:
    'metadata=1:meta.v1.ObjectMeta spec=2:SelfSubjectRulesReviewSpec status=3:SubjectRulesReviewStatus',
  SelfSubjectRulesReviewSpec: 'namespace=1:string',
  SubjectAccessReview:
    'metadata=1:meta.v1.ObjectMeta spec=2:SubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  SubjectAccessReviewSpec:
    'resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes user=3:string groups=4:string[] extra=5:{ExtraValue} uid=6:string',
  SubjectAccessReviewStatus:
    'allowed=1:bool! reason=2:string evaluationError=3:string denied=4:bool',
  SubjectRulesReviewStatus:
    'resourceRules=1:ResourceRule[] nonResourceRules=2:NonResourceRule[] incomplete=3:bool! evaluationError=4:string',
};
