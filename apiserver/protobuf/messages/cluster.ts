/**
 * Protobuf message descriptions: networking, storage, scheduling, node, coordination, discovery, events, rbac, certificates and flowcontrol (all v1).
 * Notation and sources: `../table.ts`.
 */
import type { PackageTable } from '../table.js';

export const networkingV1: PackageTable = {
  HTTPIngressPath: 'path=1:string backend=2:IngressBackend pathType=3:string?',
  HTTPIngressRuleValue: 'paths=1:HTTPIngressPath[]',
  IPAddress: 'metadata=1:meta.v1.ObjectMeta spec=2:IPAddressSpec',
  IPAddressList: 'metadata=1:meta.v1.ListMeta items=2:IPAddress[]',
  IPAddressSpec: 'parentRef=1:ParentReference',
  IPBlock: 'cidr=1:string! except=2:string[]',
  Ingress: 'metadata=1:meta.v1.ObjectMeta spec=2:IngressSpec status=3:IngressStatus',
  IngressBackend: 'resource=3:core.v1.TypedLocalObjectReference service=4:IngressServiceBackend',
  IngressClass: 'metadata=1:meta.v1.ObjectMeta spec=2:IngressClassSpec',
  IngressClassList: 'metadata=1:meta.v1.ListMeta items=2:IngressClass[]',
  IngressClassParametersReference:
    'apiGroup=1:string? kind=2:string! name=3:string! scope=4:string? namespace=5:string?',
  IngressClassSpec: 'controller=1:string parameters=2:IngressClassParametersReference',
  IngressList: 'metadata=1:meta.v1.ListMeta items=2:Ingress[]',
  IngressLoadBalancerIngress: 'ip=1:string hostname=2:string ports=4:IngressPortStatus[]',
  IngressLoadBalancerStatus: 'ingress=1:IngressLoadBalancerIngress[]',
  IngressPortStatus: 'port=1:int32! protocol=2:string! error=3:string?',
  IngressRule: 'host=1:string ingressRuleValue=2:IngressRuleValue~',
  IngressRuleValue: 'http=1:HTTPIngressRuleValue',
  IngressServiceBackend: 'name=1:string! port=2:ServiceBackendPort',
  IngressSpec:
    'defaultBackend=1:IngressBackend tls=2:IngressTLS[] rules=3:IngressRule[] ingressClassName=4:string?',
  IngressStatus: 'loadBalancer=1:IngressLoadBalancerStatus',
  IngressTLS: 'hosts=1:string[] secretName=2:string',
  NetworkPolicy: 'metadata=1:meta.v1.ObjectMeta spec=2:NetworkPolicySpec',
  NetworkPolicyEgressRule: 'ports=1:NetworkPolicyPort[] to=2:NetworkPolicyPeer[]',
  NetworkPolicyIngressRule: 'ports=1:NetworkPolicyPort[] from=2:NetworkPolicyPeer[]',
  NetworkPolicyList: 'metadata=1:meta.v1.ListMeta items=2:NetworkPolicy[]',
  NetworkPolicyPeer:
    'podSelector=1:meta.v1.LabelSelector namespaceSelector=2:meta.v1.LabelSelector ipBlock=3:IPBlock',
  NetworkPolicyPort: 'protocol=1:string? port=2:intstr.IntOrString endPort=3:int32?',
  NetworkPolicySpec:
    'podSelector=1:meta.v1.LabelSelector ingress=2:NetworkPolicyIngressRule[] egress=3:NetworkPolicyEgressRule[] policyTypes=4:string[]',
  ParentReference: 'group=1:string resource=2:string namespace=3:string name=4:string',
  ServiceBackendPort: 'name=1:string number=2:int32',
  ServiceCIDR: 'metadata=1:meta.v1.ObjectMeta spec=2:ServiceCIDRSpec status=3:ServiceCIDRStatus',
  ServiceCIDRList: 'metadata=1:meta.v1.ListMeta items=2:ServiceCIDR[]',
  ServiceCIDRSpec: 'cidrs=1:string[]',
  ServiceCIDRStatus: 'conditions=1:meta.v1.Condition[]',
};

export const storageV1: PackageTable = {
  CSIDriver: 'metadata=1:meta.v1.ObjectMeta spec=2:CSIDriverSpec',
  CSIDriverList: 'metadata=1:meta.v1.ListMeta items=2:CSIDriver[]',
  CSIDriverSpec:
    'attachRequired=1:bool? podInfoOnMount=2:bool? volumeLifecycleModes=3:string[] storageCapacity=4:bool? fsGroupPolicy=5:string? tokenRequests=6:TokenRequest[] requiresRepublish=7:bool? seLinuxMount=8:bool? nodeAllocatableUpdatePeriodSeconds=9:int64? serviceAccountTokenInSecrets=10:bool? preventPodSchedulingIfMissing=11:bool?',
  CSINode: 'metadata=1:meta.v1.ObjectMeta spec=2:CSINodeSpec',
  CSINodeDriver:
    'name=1:string! nodeID=2:string! topologyKeys=3:string[] allocatable=4:VolumeNodeResources',
  CSINodeList: 'metadata=1:meta.v1.ListMeta items=2:CSINode[]',
  CSINodeSpec: 'drivers=1:CSINodeDriver[]',
  CSIStorageCapacity:
    'metadata=1:meta.v1.ObjectMeta nodeTopology=2:meta.v1.LabelSelector storageClassName=3:string! capacity=4:resource.Quantity maximumVolumeSize=5:resource.Quantity',
  CSIStorageCapacityList: 'metadata=1:meta.v1.ListMeta items=2:CSIStorageCapacity[]',
  StorageClass:
    'metadata=1:meta.v1.ObjectMeta provisioner=2:string! parameters=3:{string} reclaimPolicy=4:string? mountOptions=5:string[] allowVolumeExpansion=6:bool? volumeBindingMode=7:string? allowedTopologies=8:core.v1.TopologySelectorTerm[]',
  StorageClassList: 'metadata=1:meta.v1.ListMeta items=2:StorageClass[]',
  TokenRequest: 'audience=1:string! expirationSeconds=2:int64?',
  VolumeAttachment:
    'metadata=1:meta.v1.ObjectMeta spec=2:VolumeAttachmentSpec status=3:VolumeAttachmentStatus',
  VolumeAttachmentList: 'metadata=1:meta.v1.ListMeta items=2:VolumeAttachment[]',
  VolumeAttachmentSource:
    'persistentVolumeName=1:string? inlineVolumeSpec=2:core.v1.PersistentVolumeSpec',
  VolumeAttachmentSpec: 'attacher=1:string! source=2:VolumeAttachmentSource nodeName=3:string!',
  VolumeAttachmentStatus:
    'attached=1:bool! attachmentMetadata=2:{string} attachError=3:VolumeError detachError=4:VolumeError',
  VolumeAttributesClass: 'metadata=1:meta.v1.ObjectMeta driverName=2:string! parameters=3:{string}',
  VolumeAttributesClassList: 'metadata=1:meta.v1.ListMeta items=2:VolumeAttributesClass[]',
  VolumeError: 'time=1:meta.v1.Time message=2:string errorCode=3:int32?',
  VolumeNodeResources: 'count=1:int32?',
};

export const schedulingV1: PackageTable = {
  PriorityClass:
    'metadata=1:meta.v1.ObjectMeta value=2:int32! globalDefault=3:bool description=4:string preemptionPolicy=5:string?',
  PriorityClassList: 'metadata=1:meta.v1.ListMeta items=2:PriorityClass[]',
};

export const nodeV1: PackageTable = {
  Overhead: 'podFixed=1:{resource.Quantity}',
  RuntimeClass:
    'metadata=1:meta.v1.ObjectMeta handler=2:string! overhead=3:Overhead scheduling=4:Scheduling',
  RuntimeClassList: 'metadata=1:meta.v1.ListMeta items=2:RuntimeClass[]',
  Scheduling: 'nodeSelector=1:{string} tolerations=2:core.v1.Toleration[]',
};

export const coordinationV1: PackageTable = {
  Lease: 'metadata=1:meta.v1.ObjectMeta spec=2:LeaseSpec',
  LeaseList: 'metadata=1:meta.v1.ListMeta items=2:Lease[]',
  LeaseSpec:
    'holderIdentity=1:string? leaseDurationSeconds=2:int32? acquireTime=3:meta.v1.MicroTime renewTime=4:meta.v1.MicroTime leaseTransitions=5:int32? strategy=6:string? preferredHolder=7:string?',
};

export const discoveryV1: PackageTable = {
  Endpoint:
    'addresses=1:string[] conditions=2:EndpointConditions hostname=3:string? targetRef=4:core.v1.ObjectReference deprecatedTopology=5:{string} nodeName=6:string? zone=7:string? hints=8:EndpointHints',
  EndpointConditions: 'ready=1:bool? serving=2:bool? terminating=3:bool?',
  EndpointHints: 'forZones=1:ForZone[] forNodes=2:ForNode[]',
  EndpointPort: 'name=1:string? protocol=2:string? port=3:int32? appProtocol=4:string?',
  EndpointSlice:
    'metadata=1:meta.v1.ObjectMeta endpoints=2:Endpoint[] ports=3:EndpointPort[] addressType=4:string!',
  EndpointSliceList: 'metadata=1:meta.v1.ListMeta items=2:EndpointSlice[]',
  ForNode: 'name=1:string!',
  ForZone: 'name=1:string!',
};

export const eventsV1: PackageTable = {
  Event:
    'metadata=1:meta.v1.ObjectMeta eventTime=2:meta.v1.MicroTime series=3:EventSeries reportingController=4:string reportingInstance=5:string action=6:string reason=7:string regarding=8:core.v1.ObjectReference related=9:core.v1.ObjectReference note=10:string type=11:string deprecatedSource=12:core.v1.EventSource deprecatedFirstTimestamp=13:meta.v1.Time deprecatedLastTimestamp=14:meta.v1.Time deprecatedCount=15:int32',
  EventList: 'metadata=1:meta.v1.ListMeta items=2:Event[]',
  EventSeries: 'count=1:int32! lastObservedTime=2:meta.v1.MicroTime',
};

export const rbacV1: PackageTable = {
  AggregationRule: 'clusterRoleSelectors=1:meta.v1.LabelSelector[]',
  ClusterRole:
    'metadata=1:meta.v1.ObjectMeta rules=2:PolicyRule[] aggregationRule=3:AggregationRule',
  ClusterRoleBinding: 'metadata=1:meta.v1.ObjectMeta subjects=2:Subject[] roleRef=3:RoleRef',
  ClusterRoleBindingList: 'metadata=1:meta.v1.ListMeta items=2:ClusterRoleBinding[]',
  ClusterRoleList: 'metadata=1:meta.v1.ListMeta items=2:ClusterRole[]',
  PolicyRule:
    'verbs=1:string[] apiGroups=2:string[] resources=3:string[] resourceNames=4:string[] nonResourceURLs=5:string[]',
  Role: 'metadata=1:meta.v1.ObjectMeta rules=2:PolicyRule[]',
  RoleBinding: 'metadata=1:meta.v1.ObjectMeta subjects=2:Subject[] roleRef=3:RoleRef',
  RoleBindingList: 'metadata=1:meta.v1.ListMeta items=2:RoleBinding[]',
  RoleList: 'metadata=1:meta.v1.ListMeta items=2:Role[]',
  RoleRef: 'apiGroup=1:string! kind=2:string! name=3:string!',
  Subject: 'kind=1:string! apiGroup=2:string name=3:string! namespace=4:string',
};

export const certificatesV1: PackageTable = {
  CertificateSigningRequest:
    'metadata=1:meta.v1.ObjectMeta spec=2:CertificateSigningRequestSpec status=3:CertificateSigningRequestStatus',
  CertificateSigningRequestCondition:
    'type=1:string! reason=2:string message=3:string lastUpdateTime=4:meta.v1.Time lastTransitionTime=5:meta.v1.Time status=6:string!',
  CertificateSigningRequestList: 'metadata=1:meta.v1.ListMeta items=2:CertificateSigningRequest[]',
  CertificateSigningRequestSpec:
    'request=1:bytes! username=2:string uid=3:string groups=4:string[] usages=5:string[] extra=6:{ExtraValue} signerName=7:string! expirationSeconds=8:int32?',
  CertificateSigningRequestStatus:
    'conditions=1:CertificateSigningRequestCondition[] certificate=2:bytes',
  ExtraValue: 'items=1:string[]',
};

export const flowcontrolV1: PackageTable = {
  ExemptPriorityLevelConfiguration: 'nominalConcurrencyShares=1:int32? lendablePercent=2:int32?',
  FlowDistinguisherMethod: 'type=1:string!',
  FlowSchema: 'metadata=1:meta.v1.ObjectMeta spec=2:FlowSchemaSpec status=3:FlowSchemaStatus',
  FlowSchemaCondition:
    'type=1:string status=2:string lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  FlowSchemaList: 'metadata=1:meta.v1.ListMeta items=2:FlowSchema[]',
  FlowSchemaSpec:
    'priorityLevelConfiguration=1:PriorityLevelConfigurationReference matchingPrecedence=2:int32! distinguisherMethod=3:FlowDistinguisherMethod rules=4:PolicyRulesWithSubjects[]',
  FlowSchemaStatus: 'conditions=1:FlowSchemaCondition[]',
  GroupSubject: 'name=1:string!',
  LimitResponse: 'type=1:string! queuing=2:QueuingConfiguration',
  LimitedPriorityLevelConfiguration:
    'nominalConcurrencyShares=1:int32? limitResponse=2:LimitResponse lendablePercent=3:int32? borrowingLimitPercent=4:int32?',
  NonResourcePolicyRule: 'verbs=1:string[] nonResourceURLs=6:string[]',
  PolicyRulesWithSubjects:
    'subjects=1:Subject[] resourceRules=2:ResourcePolicyRule[] nonResourceRules=3:NonResourcePolicyRule[]',
  PriorityLevelConfiguration:
    'metadata=1:meta.v1.ObjectMeta spec=2:PriorityLevelConfigurationSpec status=3:PriorityLevelConfigurationStatus',
  PriorityLevelConfigurationCondition:
    'type=1:string status=2:string lastTransitionTime=3:meta.v1.Time reason=4:string message=5:string',
  PriorityLevelConfigurationList:
    'metadata=1:meta.v1.ListMeta items=2:PriorityLevelConfiguration[]',
  PriorityLevelConfigurationReference: 'name=1:string!',
  PriorityLevelConfigurationSpec:
    'type=1:string! limited=2:LimitedPriorityLevelConfiguration exempt=3:ExemptPriorityLevelConfiguration',
  PriorityLevelConfigurationStatus: 'conditions=1:PriorityLevelConfigurationCondition[]',
  QueuingConfiguration: 'queues=1:int32! handSize=2:int32! queueLengthLimit=3:int32!',
  ResourcePolicyRule:
    'verbs=1:string[] apiGroups=2:string[] resources=3:string[] clusterScope=4:bool namespaces=5:string[]',
  ServiceAccountSubject: 'namespace=1:string! name=2:string!',
  Subject:
    'kind=1:string! user=2:UserSubject group=3:GroupSubject serviceAccount=4:ServiceAccountSubject',
  UserSubject: 'name=1:string!',
};
